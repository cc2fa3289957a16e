"""Files chosen on a form the panel refused, kept for the form sent again (Make a Ticket).

A browser cannot fill a file input again: a file chosen on a form that came back
with an error (a title left empty) was lost with it. It is kept instead in the
file storage as a ``PendingUpload`` of the person who chose it, and the page
names it by a signed reference (its id and its uploader's), so no other person,
and no form of another session after it expired, can use it. The form sent
valid attaches it; the job "pending-uploads" (panel/tasks.py) removes those
left unused. However a row goes (that job, the form sent, its person deleted),
its file goes once the deletion commits (``remove_file``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from panel.models import PendingUpload
from tickets.files import IncomingFile

log = logging.getLogger(__name__)

#: How long a refused form's files wait for it to be sent again.
LIFETIME = timedelta(hours=12)

_SALT = "panel.pending_upload"

GONE = _("An attached file is no longer available: choose it again.")


def keep(*, user: User, files: list[IncomingFile]) -> list[PendingUpload]:
    """Store ``files`` for ``user`` until ``LIFETIME`` from now; OSError (a full disk)
    propagates, with nothing of this call left behind."""
    kept: list[PendingUpload] = []
    expires_at = timezone.now() + LIFETIME
    try:
        for incoming in files:
            upload = PendingUpload(
                user=user,
                filename=incoming.name,
                content_type=incoming.content_type,
                size=incoming.size,
                expires_at=expires_at,
            )
            upload.file.save(incoming.name, incoming.content, save=False)
            try:
                upload.save()
            except BaseException:
                upload.file.delete(save=False)
                raise
            kept.append(upload)
    except BaseException:
        discard(kept)
        raise
    return kept


def reference(upload: PendingUpload) -> str:
    """What the page carries for ``upload``: signed, so it names nobody else's file."""
    return signing.dumps({"id": upload.pk, "user": upload.user_id}, salt=_SALT)


def claim(*, user: User, references: list[str]) -> list[PendingUpload]:
    """The uploads ``references`` name, each ``user``'s own and not expired.

    Raises ValidationError when one cannot be used: a reference that is not one,
    another person's file, a file expired. The words are the same for each: they
    tell nobody whether somebody else's file exists.
    """
    ids: list[int] = []
    for text in references:
        try:
            data = signing.loads(text, salt=_SALT, max_age=LIFETIME)
        except signing.BadSignature:
            raise ValidationError(GONE) from None
        if not isinstance(data, dict) or data.get("user") != user.pk:
            raise ValidationError(GONE)
        ids.append(int(data["id"]))
    found = {
        upload.pk: upload
        for upload in PendingUpload.objects.filter(
            pk__in=ids, user=user, expires_at__gt=timezone.now()
        )
    }
    if len(found) != len(set(ids)):
        raise ValidationError(GONE)
    return [found[pk] for pk in dict.fromkeys(ids)]


def as_incoming(upload: PendingUpload) -> IncomingFile:
    """The upload as a file arriving with a message."""
    return IncomingFile(name=upload.filename, content=upload.file, content_type=upload.content_type)


def discard(uploads: list[PendingUpload]) -> None:
    """Remove ``uploads``, their rows now and their files once that commits."""
    if not uploads:
        return
    PendingUpload.objects.filter(pk__in=[upload.pk for upload in uploads if upload.pk]).delete()


def remove_file(sender: type[PendingUpload], instance: PendingUpload, **kwargs: object) -> None:
    """post_delete: the row's file goes when the deletion commits, never before (a
    rollback keeps both)."""
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: _delete_files(storage, [name]), robust=True)


def remove_expired(now: datetime | None = None) -> int:
    """Remove the uploads whose time has passed, a batch at a time; how many."""
    now = now or timezone.now()
    removed = 0
    while batch := list(PendingUpload.objects.filter(expires_at__lte=now).order_by("pk")[:500]):
        discard(batch)
        removed += len(batch)
    return removed


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            log.exception("could not remove the pending upload %s", name)
