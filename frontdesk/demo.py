"""Demo data: queues, accounts, staff of every role and ~200 tickets.

Tickets are made through tickets/actions like any others, then moved back
in time (created over the last weeks) so the statistics and lists look like a
help desk in use. The shifting touches timestamps only, never what an action
decided. The mail those actions put in the outbox is dropped before the
load commits: demo data never sends mail to a real server.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.actors import command
from accounts.models import Account, Contact, Role, StaffProfile, User
from mail.models import OutgoingMail
from tickets import actions
from tickets.models import (
    Event,
    HelpdeskSettings,
    Message,
    MessageKind,
    Queue,
    QueueAddress,
    Status,
    Ticket,
    TicketType,
)
from tickets.visibility import can_see

PASSWORD = "demo"  # noqa: S105 - the documented demo password
# Demo customers write through no real channel: the demo command acts for them.
DEMO = command("demo")

STAFF = [
    ("admin@demo.example", Role.ADMIN, "Dana Admin", "head of support", ()),
    (
        "supervisor@demo.example",
        Role.SUPERVISOR,
        "Sam Supervisor",
        "team lead",
        ("Support", "Billing"),
    ),
    ("supervisor2@demo.example", Role.SUPERVISOR, "Sasha Weiß", "sales lead", ("Sales",)),
    ("agent@demo.example", Role.AGENT, "Alex Agent", "support engineer", ("Support",)),
    ("agent2@demo.example", Role.AGENT, "Jordan Lee", "billing specialist", ("Billing",)),
    ("agent3@demo.example", Role.AGENT, "Мария Иванова", "support engineer", ("Support",)),
]

ACCOUNTS = [
    ("Acme Hosting", "HS-1001", ["customer@demo.example", "ops@acme.example"]),
    ("Blue Fern Bakery", "HS-1002", ["owner@bluefern.example"]),
    ("Café Zürich GmbH", "HS-1003", ["it@cafe-zuerich.example", "chef@cafe-zuerich.example"]),
    ("Delta Logistics", "HS-1004", ["admin@delta.example"]),
    ("Echo Photography", "HS-1005", ["echo@echo-photo.example"]),
    ("Fjord Travel AS", "HS-1006", ["post@fjordtravel.example", "web@fjordtravel.example"]),
    ("Gamma Labs", "HS-1007", ["lab@gamma.example"]),
    ("ООО Ромашка", "HS-1008", ["info@romashka.example"]),
    ("Hikari Design", "HS-1009", ["contact@hikari.example"]),
    ("Iris Books", "HS-1010", ["orders@irisbooks.example", "jane@irisbooks.example"]),
    ("Juniper Consulting", "HS-1011", ["hello@juniper.example"]),
    ("Kestrel Games", "HS-1012", ["dev@kestrel.example"]),
]

TOPICS = {
    "Support": [
        (
            "Website shows 500 error after update",
            "Since this morning our site only shows an error.",
        ),
        ("Cannot send e-mail from Outlook", "Outlook asks for the password again and again."),
        (
            "DNS-Einträge werden nicht übernommen",
            "Wir haben den A-Record geändert, aber nichts passiert.",
        ),
        ("Не работает почта", "Письма не приходят со вчерашнего дня."),
        ("SSL certificate expired", "Browsers warn that our certificate expired yesterday."),
        ("メールが届きません", "昨日からメールが届きません。確認してください。"),
        ("Database connection limit reached", "Our app reports 'too many connections'."),
        ("How do I add an FTP user?", "I want to give our designer FTP access."),
        ("Site is very slow", "Pages take ten seconds to load since Monday."),
        ("<b>Bold</b> title typed as HTML", "This text shows <i>tags</i> exactly as typed."),
    ],
    "Billing": [
        ("Invoice shows the wrong VAT number", "Please correct our VAT id on invoice 2026-118."),
        ("Double charge on my card", "We were charged twice this month."),
        ("Upgrade to the business plan", "What does the upgrade cost pro rata?"),
        ("Cancel the extra domain", "Please stop renewing example-old.example."),
    ],
    "Sales": [
        ("Reseller discount", "Do you offer discounts for 50+ accounts?"),
        ("Dedicated server quote", "We need a quote for two dedicated servers."),
        ("Migration from another host", "Can you move our 12 sites for us?"),
    ],
}

FOLLOW_UPS = [
    "Thanks, but it still does not work.",
    "Any news on this?",
    "Here is the screenshot you asked for.",
    "That fixed it, thank you!",
]
ANSWERS = [
    "Thanks for reporting this. We are looking into it now.",
    "Could you send us the exact error message?",
    "We changed the setting on our side; please try again.",
    "This is fixed now. Let us know if anything else comes up.",
]
NOTES = [
    "Checked the logs: quota exceeded on the mail server.",
    "Customer is on the legacy plan; see billing history.",
    "Escalated to the network team.",
]


def is_loaded() -> bool:
    return User.objects.filter(email="admin@demo.example").exists()


@transaction.atomic
def load(*, tickets: int = 200, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    password = make_password(PASSWORD)
    settings_row = HelpdeskSettings.load()
    settings_row.support_address = "support@demo.example"
    # Keep answered tickets around for a week so the demo shows every status.
    settings_row.auto_close_days = 7
    settings_row.save()

    queues = _queues()
    staff = _staff(password, queues)
    contacts = _accounts(password)
    supervisors = [user for user in staff if user.staff and user.staff.is_supervising]
    now = timezone.now()
    made = [
        _ticket(rng, index, queues, staff, supervisors, contacts, now) for index in range(tickets)
    ]
    # The answers and notices of a made-up history went to nobody and must never
    # go: the outbox rows go in this transaction, before a worker could see them
    # (the tasks queued at commit find nothing to send).
    OutgoingMail.objects.filter(ticket__in=made).delete()
    return {
        "queues": len(queues),
        "staff": len(staff),
        "contacts": len(contacts),
        "tickets": Ticket.objects.count(),
    }


def _queues() -> dict[str, Queue]:
    specs = [
        ("Support", True, 5, timedelta(hours=4)),
        ("Billing", False, 10, timedelta(days=1)),
        ("Sales", False, 0, None),
    ]
    queues = {}
    for name, is_default, step, interval in specs:
        fields = {
            "name": name,
            "escalation_step": step,
            "escalation_interval": interval,
            "new_ticket_response": (
                f"Thank you for writing to {name}. We have received your request "
                "and will answer soon."
            ),
            "closed_ticket_response": "Your ticket was closed. Reply to this mail to reopen it.",
        }
        if is_default:
            # A migrated database has its default queue already: the demo takes it over.
            queue, _ = Queue.objects.update_or_create(is_default=True, defaults=fields)
        else:
            queue = Queue.objects.create(**fields)
        QueueAddress.objects.create(queue=queue, email=f"{name.lower()}@demo.example")
        queues[name] = queue
    return queues


def _staff(password: str, queues: dict[str, Queue]) -> list[User]:
    people = []
    for email, role, name, description, queue_names in STAFF:
        user = User.objects.create(email=email, full_name=name, password=password)
        profile = StaffProfile.objects.create(
            user=user,
            role=role,
            full_name=name,
            description=description,
            signature=f"{name}\nDemo Hosting Support\nhttps://demo.example",
        )
        for queue_name in queue_names:
            queues[queue_name].staff.add(profile)
        people.append(user)
    return people


def _accounts(password: str) -> list[Contact]:
    contacts = []
    for name, external_id, emails in ACCOUNTS:
        account = Account.objects.create(name=name, external_id=external_id)
        for email in emails:
            user = None
            if email == "customer@demo.example":
                user = User.objects.create(
                    email=email, full_name="Casey Customer", password=password
                )
            contacts.append(
                Contact.objects.create(
                    account=account, email=email, name=email.split("@")[0], user=user
                )
            )
    return contacts


def _ticket(
    rng: random.Random,
    index: int,
    queues: dict[str, Queue],
    staff: list[User],
    supervisors: list[User],
    contacts: list[Contact],
    now: datetime,
) -> Ticket:
    queue_name = rng.choices(["Support", "Billing", "Sales"], weights=[6, 3, 1])[0]
    title, text = rng.choice(TOPICS[queue_name])
    contact = rng.choice(contacts)
    ticket = actions.open_ticket(
        actor=DEMO,
        title=title,
        requester_email=contact.email,
        text=text,
        type=rng.choice([TicketType.EMAIL] * 5 + [TicketType.PORTAL] * 3 + [TicketType.API]),
        queue=queues[queue_name],
        priority=rng.choice([25, 50, 50, 50, 75, 90]),
        send_confirmation=False,
    )
    # The newest few tickets stay untouched: the "newest unassigned" list is never empty.
    fate = (
        "new"
        if index >= 190
        else rng.choice(
            [
                "new",
                "open",
                "open",
                "answered",
                "answered",
                "on_hold",
                "resolved",
                "reopened",
                "closed",
                "closed",
            ]
        )
    )
    if fate != "new":
        supervisor = rng.choice([user for user in supervisors if can_see(user, ticket)])
        worker = rng.choice([user for user in staff if user.staff is not None])
        _hand_over(ticket, supervisor, worker)
        if rng.random() < 0.4:
            actions.add_note(actor=worker, ticket=ticket, text=rng.choice(NOTES))
        if fate in ("answered", "resolved", "closed", "reopened", "on_hold"):
            actions.answer(actor=worker, ticket=ticket, text=rng.choice(ANSWERS))
            if rng.random() < 0.5 and fate != "on_hold":
                actions.customer_reply(actor=DEMO, ticket=ticket, text=rng.choice(FOLLOW_UPS))
                _hand_over(ticket, supervisor, worker)
                if fate != "reopened":
                    actions.answer(actor=worker, ticket=ticket, text=rng.choice(ANSWERS))
        if fate == "on_hold":
            actions.change(actor=worker, ticket=ticket, status=Status.ON_HOLD)
        elif fate == "resolved":
            actions.change(actor=worker, ticket=ticket, status=Status.RESOLVED)
        elif fate == "closed":
            actions.close(actor=worker, ticket=ticket)
        elif fate == "reopened":
            actions.close(actor=worker, ticket=ticket)
            actions.customer_reply(actor=DEMO, ticket=ticket, text=rng.choice(FOLLOW_UPS))
    _move_back_in_time(ticket, index, rng, now)
    return ticket


def _hand_over(ticket: Ticket, supervisor: User, worker: User) -> None:
    """The supervisor picks the ticket up and, for somebody else, assigns it on."""
    ticket.refresh_from_db()
    if ticket.assignee_id is None:
        actions.pick_up(actor=supervisor, ticket=ticket)
    if worker != supervisor:
        actions.assign(actor=supervisor, ticket=ticket, assignee=worker)


def _move_back_in_time(ticket: Ticket, index: int, rng: random.Random, now: datetime) -> None:
    # Spread over ~40 days, the newest tickets today, so every statistic counts
    # some; the messages of a thread an hour or a few apart.
    if index >= 185:
        # Today in the help desk's time zone, even just after midnight.
        since_midnight = now - timezone.localtime(now).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        minutes = max(1, min(600, int(since_midnight.total_seconds() // 60)))
        start = now - timedelta(minutes=rng.uniform(0, minutes))
    else:
        start = now - timedelta(days=rng.uniform(1, 40))
    gap = min(timedelta(hours=rng.uniform(0.5, 6)), (now - start) / 12)
    messages = list(Message.objects.filter(ticket=ticket).order_by("id"))
    for position, message in enumerate(messages):
        message.created_at = start + position * gap
    Message.objects.bulk_update(messages, ["created_at"])
    events = list(Event.objects.filter(ticket=ticket).order_by("id"))
    span = gap * max(len(messages) - 1, 1)
    for position, event in enumerate(events):
        event.created_at = start + span * position / max(len(events) - 1, 1)
    Event.objects.bulk_update(events, ["created_at"])
    ticket.refresh_from_db()
    last_answer = next((m for m in reversed(messages) if m.kind == MessageKind.ANSWER), None)
    last_customer = next((m for m in reversed(messages) if m.kind == MessageKind.CUSTOMER), None)
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=start,
        modified_at=events[-1].created_at,
        answered_at=last_answer.created_at if ticket.is_answered and last_answer else None,
        waiting_since=None if ticket.is_answered or not last_customer else last_customer.created_at,
        escalated_at=None,
        closed_at=events[-1].created_at if ticket.closed_at else None,
    )
