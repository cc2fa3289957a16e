import pytest

from tests.conftest import upload
from tickets import actions
from tickets.models import Attachment


@pytest.fixture
def attachment(world) -> Attachment:
    attached = upload('счёт "март".html', b"<script>alert(1)</script>", content_type="text/html")
    ticket = world.ticket(queue=world.billing, attachments=[attached])
    return ticket.messages.get().attachments.get()


def download(client, attachment):
    return client.get(f"/panel/attachments/{attachment.pk}/")


def test_staff_who_see_the_ticket_download_its_attachment(world, as_user, attachment):
    response = download(as_user(world.supervisor), attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_an_attachment_is_never_shown_by_the_browser(world, as_user, attachment):
    response = download(as_user(world.supervisor), attachment)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="____ ______.html"; '
        "filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82%20%22%D0%BC%D0%B0%D1%80%D1%82%22.html"
    )
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_safe_type_is_kept(world, as_user):
    attached = upload("photo.png", b"\x89PNG", content_type="image/png")
    ticket = world.ticket(attachments=[attached])
    response = download(as_user(world.admin), ticket.messages.get().attachments.get())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith('attachment; filename="photo.png"')


def test_staff_who_may_not_see_the_ticket_get_not_found(world, as_user, attachment):
    assert download(as_user(world.other_supervisor), attachment).status_code == 404
    assert download(as_user(world.agent), attachment).status_code == 404


def test_a_customer_may_not_download_through_the_panel(world, as_user, attachment):
    assert download(as_user(world.customer_a), attachment).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, attachment):
    assert client.get(f"/panel/attachments/{attachment.pk}/").status_code == 302


def test_an_attachment_of_an_internal_note_is_for_staff(world, as_user):
    ticket = world.ticket()
    note = actions.add_note(
        actor=world.admin,
        ticket=ticket,
        text="Log",
        attachments=[upload("debug.txt", b"x", content_type="text/plain")],
    )
    response = download(as_user(world.supervisor), note.attachments.get())
    assert response.status_code == 200


def test_a_missing_file_is_not_found(world, as_user, attachment):
    attachment.file.storage.delete(attachment.file.name)
    assert download(as_user(world.supervisor), attachment).status_code == 404
