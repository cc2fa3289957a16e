"""What a fault test puts into its deployment's database before the load starts.

It runs inside the deployment, in a `frontdesk shell -c` subprocess (the
test's own Django talks to another database), so it imports nothing of pytest.
"""

from __future__ import annotations

from accounts.models import Role, StaffProfile, User
from mail.models import Mailbox, Protocol, Security
from tickets.models import HelpdeskSettings, Queue, QueueAddress


def helpdesk(support_address: str, confirmation: str) -> None:
    """The support address on the default queue, which confirms every new ticket by mail."""
    row = HelpdeskSettings.load()
    row.support_address = support_address
    row.save()
    queue = Queue.objects.get(is_default=True)
    queue.new_ticket_response = confirmation
    queue.save()
    QueueAddress.objects.get_or_create(queue=queue, email=support_address)


def supervisor(email: str, full_name: str, password: str) -> None:
    user = User.objects.create_user(email, password, full_name=full_name)
    StaffProfile.objects.create(user=user, role=Role.SUPERVISOR, full_name=full_name)


def imap_mailbox(port: int, username: str, password: str) -> None:
    """A plain-text IMAP mailbox on this machine (the test's Dovecot), polled by the worker."""
    Mailbox.objects.create(
        name="support",
        protocol=Protocol.IMAP,
        host="127.0.0.1",
        port=port,
        security=Security.NONE,
        username=username,
        password=password,
    )
