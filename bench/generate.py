"""Generate a large help desk for benchmarks: N tickets with threads, in bulk.

The rows are inserted with bulk_create, not through tickets/actions: this
is benchmark data, made fast so that 100,000 tickets take seconds. Run inside
Django (see bench/foundation.py).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Contact, Role, StaffProfile, User
from tickets.models import Message, MessageKind, Queue, Status, Ticket, TicketType

# A desk in use: most tickets are done; the working lists are a small part.
STATUS_WEIGHTS = {
    Status.CLOSED: 80,
    Status.RESOLVED: 5,
    Status.OPEN: 7,
    Status.ON_HOLD: 2,
    Status.NEW: 4,
    Status.REOPENED: 2,
}


@transaction.atomic
def generate(tickets: int, *, seed: int = 1, batch: int = 5000) -> dict[str, object]:
    rng = random.Random(seed)
    # The default queue made by the migrations becomes queue 0.
    default, _ = Queue.objects.update_or_create(is_default=True, defaults={"name": "Queue 0"})
    queues = [default, *(Queue.objects.create(name=f"Queue {n}") for n in range(1, 5))]
    staff = []
    for n in range(20):
        role = Role.SUPERVISOR if n < 5 else Role.AGENT
        user = User.objects.create(email=f"staff{n}@bench.example", full_name=f"Staff {n}")
        profile = StaffProfile.objects.create(user=user, role=role, full_name=user.full_name)
        queues[n % len(queues)].staff.add(profile)
        staff.append(user)
    accounts = Account.objects.bulk_create(
        Account(name=f"Account {n}", external_id=f"B-{n}") for n in range(1000)
    )
    contacts = Contact.objects.bulk_create(
        Contact(account=accounts[n % 1000], email=f"customer{n}@bench.example") for n in range(3000)
    )
    now = timezone.now()
    made = 0
    while made < tickets:
        size = min(batch, tickets - made)
        rows = []
        for _ in range(size):
            contact = rng.choice(contacts)
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
            # New and reopened tickets wait unassigned; a few done ones never had anybody.
            unassigned = status in (Status.NEW, Status.REOPENED) or rng.random() < 0.03
            assignee = None if unassigned else rng.choice(staff)
            rows.append(
                Ticket(
                    title=f"Problem {rng.randint(1, 10**6)} with the mail server",
                    queue=rng.choice(queues),
                    requester_email=contact.email,
                    account_id=contact.account_id,
                    status=status,
                    type=rng.choice(TicketType.values),
                    priority=rng.randint(1, 99),
                    assignee=assignee,
                    is_answered=rng.random() < 0.5,
                    created_at=created,
                    modified_at=created + timedelta(hours=rng.randint(0, 72)),
                )
            )
        created_tickets = Ticket.objects.bulk_create(rows)
        Message.objects.bulk_create(
            Message(
                ticket=ticket,
                kind=MessageKind.CUSTOMER if n % 2 == 0 else MessageKind.ANSWER,
                text="Hello, the mail server rejects our messages since this morning. " * 3,
                source="email",
                created_at=ticket.created_at + timedelta(hours=n),
            )
            for ticket in created_tickets
            for n in range(3)
        )
        made += size
    return {"tickets": made, "queues": queues, "staff": staff}
