"""Attachments and raw mail in an S3-compatible store, which several machines share.

The store is moto's S3 server on loopback, started by these tests; Frontdesk
is configured for it the way settings.py reads the environment (MEDIA_S3_*).
"""

from __future__ import annotations

import hashlib
import itertools
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from moto.server import ThreadedMotoServer

from frontdesk import settings as frontdesk_settings
from frontdesk.env import env_choice
from frontdesk.startup import SHARED_MEDIA_NEEDED, require_shared_media
from frontdesk.storage import is_local
from mail.ingest import TEMPORARY_ERRORS, ingest, read_raw
from mail.models import InboundMessage, QuarantinedMessage
from tests.conftest import upload
from tests.fixtures_mail import make_mail
from tests.test_startup import environment, frontdesk
from tickets.models import Attachment, Ticket

ACCESS_KEY = "frontdesk-test"
SECRET_KEY = "frontdesk-test-secret"
_buckets = itertools.count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path) -> Any:
    """A new bucket, and the settings this environment gives, as every node would read them."""
    name = f"frontdesk-media-{next(_buckets)}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    monkeypatch.setenv("MEDIA_S3_BUCKET", name)
    monkeypatch.setenv("MEDIA_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("MEDIA_S3_REGION", "us-east-1")
    monkeypatch.setenv("MEDIA_S3_ACCESS_KEY_ID", ACCESS_KEY)
    # A secret from a file, as from a Docker or systemd credential.
    secret = tmp_path / "s3-secret"
    secret.write_text(SECRET_KEY + "\n")
    monkeypatch.setenv("MEDIA_S3_SECRET_ACCESS_KEY_FILE", str(secret))
    settings.STORAGES = {**settings.STORAGES, "default": frontdesk_settings.media_storage()}
    # Nothing may land on this machine: a local folder would be missed by the others.
    settings.MEDIA_ROOT = tmp_path / "media"
    client.bucket = name
    return client


def keys(bucket: Any) -> list[str]:
    listed = bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", [])
    return sorted(item["Key"] for item in listed)


def test_the_environment_configures_the_s3_store(bucket, s3_endpoint):
    options = frontdesk_settings.media_storage()["OPTIONS"]

    assert options["bucket_name"] == bucket.bucket
    assert options["endpoint_url"] == s3_endpoint
    assert (options["access_key"], options["secret_key"]) == (ACCESS_KEY, SECRET_KEY)
    assert options["region_name"] == "us-east-1"
    assert not is_local()


def test_without_a_bucket_the_files_stay_local(monkeypatch):
    for name in ("BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY"):
        monkeypatch.delenv(f"MEDIA_S3_{name}", raising=False)

    assert frontdesk_settings.media_storage() == {
        "BACKEND": "frontdesk.storage.AtomicFileSystemStorage"
    }


def test_an_endpoint_without_a_bucket_is_refused_not_ignored(monkeypatch):
    monkeypatch.delenv("MEDIA_S3_BUCKET", raising=False)
    monkeypatch.setenv("MEDIA_S3_ENDPOINT_URL", "https://s3.example.com")

    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_ENDPOINT_URL is set but"):
        frontdesk_settings.media_storage()


def test_an_attachment_stored_through_the_actions_is_downloadable_in_the_panel(
    world, bucket, client, settings
):
    ticket = world.ticket(attachments=[upload("invoice.pdf", b"%PDF-1.4 invoice")])
    attachment = Attachment.objects.get(message__ticket=ticket)
    client.force_login(world.admin)

    response = client.get(f"/panel/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 invoice"
    assert response["Content-Type"] == "application/pdf"
    assert keys(bucket) == [attachment.file.name]
    assert not Path(settings.MEDIA_ROOT).exists()


def test_an_attachment_missing_from_the_store_is_not_found(world, bucket, client):
    ticket = world.ticket(attachments=[upload("gone.txt", b"gone")])
    attachment = Attachment.objects.get(message__ticket=ticket)
    bucket.delete_object(Bucket=bucket.bucket, Key=attachment.file.name)
    client.force_login(world.admin)

    assert client.get(f"/panel/attachments/{attachment.pk}/").status_code == 404


def test_raw_mail_is_stored_in_the_bucket_and_read_back(world, bucket):
    raw = make_mail(subject="Stored in S3", attachments=[("log.txt", "text/plain", b"log")])

    result = ingest(raw, "mailgate")

    assert result.inbound is not None
    assert Ticket.objects.get().title == "Stored in S3"
    assert read_raw(result.inbound.raw.name) == raw
    attachment = Attachment.objects.get()
    assert keys(bucket) == sorted([result.inbound.raw.name, attachment.file.name])


def test_a_damaged_raw_object_is_replaced_by_the_whole_message(world, bucket):
    raw = make_mail(subject="Damaged before")
    sha = hashlib.sha256(raw).hexdigest()
    default_storage.save(f"mail/raw/{sha[:2]}/{sha}.eml", ContentFile(raw[:50]))

    result = ingest(raw, "mailgate")

    assert result.inbound is not None
    assert read_raw(result.inbound.raw.name) == raw


def test_a_quarantined_message_downloads_from_the_bucket(world, bucket, client):
    raw = make_mail().replace(b"From: Alice <alice@a.example>\n", b"")
    entry = ingest(raw, "mailgate").quarantined
    assert entry is not None
    client.force_login(world.admin)

    response = client.get(f"/panel/mail/quarantine/{entry.pk}/raw/")
    page = client.get(f"/panel/mail/quarantine/{entry.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == raw
    assert page.status_code == 200 and "Printer on fire" in page.content.decode()


def test_a_store_that_does_not_answer_leaves_the_mail_with_its_sender(world, settings, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("MEDIA_S3_BUCKET", "frontdesk-media")
    monkeypatch.setenv("MEDIA_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("MEDIA_S3_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("MEDIA_S3_SECRET_ACCESS_KEY", SECRET_KEY)
    settings.STORAGES = {**settings.STORAGES, "default": frontdesk_settings.media_storage()}

    with pytest.raises(TEMPORARY_ERRORS):
        ingest(make_mail(), "mailgate")

    # Not even in quarantine, which the same store would have to keep.
    assert not InboundMessage.objects.exists() and not QuarantinedMessage.objects.exists()


def test_frontdesk_nodes_is_one_or_several_and_nothing_else(monkeypatch):
    monkeypatch.setenv("FRONTDESK_NODES", "Several")
    assert env_choice("FRONTDESK_NODES", ("one", "several"), "one") == "several"
    monkeypatch.setenv("FRONTDESK_NODES", "3")
    with pytest.raises(ImproperlyConfigured, match="FRONTDESK_NODES must be 'one' or 'several'"):
        env_choice("FRONTDESK_NODES", ("one", "several"), "one")


def test_one_of_several_nodes_refuses_a_local_media_folder(settings):
    settings.FRONTDESK_NODES = "several"
    settings.MEDIA_ROOT_SHARED = False

    with pytest.raises(CommandError) as refused:
        require_shared_media()

    assert str(refused.value) == SHARED_MEDIA_NEEDED


def test_one_of_several_nodes_starts_with_the_s3_store_or_a_shared_folder(settings, bucket):
    settings.FRONTDESK_NODES = "several"
    settings.MEDIA_ROOT_SHARED = False
    require_shared_media()

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "frontdesk.storage.AtomicFileSystemStorage"},
    }
    settings.MEDIA_ROOT_SHARED = True
    require_shared_media()


@pytest.mark.parametrize("command", ["serve", "worker", "run", "mailgate"])
def test_a_node_told_it_is_one_of_several_will_not_start_with_local_media(tmp_path, command):
    data_dir = tmp_path / "data"
    bind = ["--bind", f"127.0.0.1:{free_port()}"] if command in ("serve", "run") else []
    env = environment(data_dir, SECRET_KEY="shared-key", FRONTDESK_NODES="several")

    done = frontdesk(command, *bind, env=env)

    # mailgate: 75, so the MTA keeps the mail until the node is set up.
    assert done.returncode == (75 if command == "mailgate" else 1)
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "FRONTDESK_NODES=several" in line
    assert "MEDIA_S3_BUCKET" in line and "MEDIA_ROOT_SHARED=true" in line
    assert not data_dir.exists()
