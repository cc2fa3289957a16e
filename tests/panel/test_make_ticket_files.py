"""Make a Ticket keeps the files chosen when the form comes back with an error (defect 3)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from panel import pending_uploads, tasks
from panel.models import PendingUpload
from tests.conftest import make_staff
from tests.panel.helpers import rendered_form
from tickets.visibility import visible_tickets

URL = "/panel/tickets/new/"
FORM = "make-ticket-form"


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def refused_with_a_file(client, name="invoice.pdf", data=b"%PDF-1.7 invoice"):
    """The page's form posted with a file and no title: what comes back."""
    page = client.get(URL).content.decode()
    fields = {
        **rendered_form(page, FORM),
        "title": "",
        "requester_email": "alice@a.example",
        "message": "See the file.",
        "attachments": [SimpleUploadedFile(name, data, "application/pdf")],
    }
    response = client.post(URL, fields)
    assert response.status_code == 422
    return response


def sent_again(client, response, **typed):
    """The refused page's form as rendered, with ``typed`` over it; no file chosen."""
    fields = {**rendered_form(response.content.decode(), FORM), **typed}
    return client.post(URL, fields)


def test_a_file_chosen_before_an_error_is_attached_when_the_form_is_sent_again(world, as_user):
    client = as_user(world.admin)
    refused = refused_with_a_file(client)
    page = refused.content.decode()
    assert "attached: invoice.pdf (16\xa0bytes)" in page
    assert 'id="attachments-dropped"' not in page
    response = sent_again(client, refused, title="Invoice wrong")
    assert response.status_code == 302
    ticket = visible_tickets(world.admin).get(title="Invoice wrong")
    attachment = ticket.messages.get().attachments.get()
    assert (attachment.filename, attachment.size) == ("invoice.pdf", 16)
    assert attachment.file.read() == b"%PDF-1.7 invoice"
    # Used: neither the row nor its file stays.
    assert not PendingUpload.objects.exists()


def test_a_kept_file_stays_through_a_second_refusal(world, as_user):
    client = as_user(world.admin)
    refused = refused_with_a_file(client)
    again = sent_again(client, refused, title="", requester_email="not an address")
    assert again.status_code == 422
    assert "attached: invoice.pdf" in again.content.decode()
    sent_again(client, again, title="Invoice", requester_email="alice@a.example")
    ticket = visible_tickets(world.admin).get(title="Invoice")
    assert ticket.messages.get().attachments.get().filename == "invoice.pdf"


def test_a_kept_file_the_person_removes_is_not_attached(world, as_user):
    client = as_user(world.admin)
    refused = refused_with_a_file(client)
    reference = rendered_form(refused.content.decode(), FORM)["kept_attachment"]
    sent_again(client, refused, title="No file after all", remove_kept_attachment=reference)
    ticket = visible_tickets(world.admin).get(title="No file after all")
    assert not ticket.messages.get().attachments.exists()
    assert not PendingUpload.objects.exists()


def test_another_persons_kept_file_is_refused(world, as_user):
    refused = refused_with_a_file(as_user(world.admin))
    fields = rendered_form(refused.content.decode(), FORM)
    other = Client()
    other.force_login(world.supervisor)
    response = other.post(URL, {**fields, "title": "Not mine", "queue": world.billing.pk})
    assert response.status_code == 422
    assert "An attached file is no longer available: choose it again." in response.content.decode()
    assert not visible_tickets(world.admin).filter(title="Not mine").exists()
    # Nor does a reference signed for the other person name the file.
    theirs = PendingUpload.objects.get()
    forged = pending_uploads.reference(PendingUpload(pk=theirs.pk, user=world.supervisor))
    response = other.post(URL, {**fields, "title": "Not mine", "kept_attachment": forged})
    assert response.status_code == 422
    assert "An attached file is no longer available: choose it again." in response.content.decode()


def test_a_kept_file_expires_and_the_job_removes_it(
    world, as_user, media_root, django_capture_on_commit_callbacks
):
    client = as_user(world.admin)
    refused = refused_with_a_file(client)
    upload = PendingUpload.objects.get()
    stored = media_root / upload.file.name
    assert stored.exists() and upload.file.name.startswith("pending/")
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = sent_again(client, refused, title="Too late")
    assert response.status_code == 422
    assert "An attached file is no longer available: choose it again." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remove_expired_uploads.call_local() == 1
    assert not PendingUpload.objects.exists()
    assert not stored.exists()


def test_a_deleted_persons_kept_files_go_with_them_once_that_commits(
    world, as_user, media_root, django_capture_on_commit_callbacks
):
    person = make_staff("temp@frontdesk.example", Role.ADMIN)
    refused_with_a_file(as_user(person))
    stored = media_root / PendingUpload.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        person.delete()
    # Not before the commit: a rollback would keep the row, which needs its file.
    assert stored.exists()
    for callback in waiting:
        callback()
    assert not PendingUpload.objects.exists()
    assert not stored.exists()


def test_the_job_leaves_uploads_that_have_not_expired(world, as_user):
    refused_with_a_file(as_user(world.admin))
    assert pending_uploads.remove_expired() == 0
    assert PendingUpload.objects.count() == 1


def test_a_file_too_large_is_named_as_not_kept(world, as_user):
    from tests.conftest import set_helpdesk

    set_helpdesk(max_attachment_size=10)
    client = as_user(world.admin)
    response = refused_with_a_file(client, name="big.pdf", data=b"far more than ten bytes")
    page = response.content.decode()
    assert "your attachment big.pdf was not kept: choose it again" in page
    assert not PendingUpload.objects.exists()
