"""A help desk whose every user-controlled field holds hostile text (tests/payloads.py).

Planted the way it arrives: mail through ``mail.ingest.ingest`` (the parser and
the HTML sanitiser run), ticket changes through ``tickets/actions``, the panel's
own forms through the test client, and what only the Django admin edits
(accounts, contacts, staff, mailboxes) through the ORM. ``pages(desk)`` lists
every page that shows it, with the markers each must show as text. Used by
tests/browser/test_hostile_text.py and tests/panel/test_hostile_pages.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Account, Contact, Role, StaffProfile, User
from accounts.queries import search_accounts
from mail import tokens
from mail.ingest import ingest
from mail.models import Mailbox, Outcome, QuarantinedMessage, Security
from panel import drafts
from panel.views.properties import ACCOUNT_RESULTS
from tests.conftest import SETUP, World, make_staff, set_helpdesk
from tests.panel.helpers import failed_mail, rendered_form, whole_form
from tests.payloads import (
    ADDRESS_PAYLOADS,
    HIDDEN_AS_MARKUP,
    PAYLOADS,
    as_many_as_fit,
    everything,
    field_of,
    long_word,
    marker,
    markers_in,
    piece_of,
    without_nul,
)
from tickets import actions
from tickets.models import Queue, QueueAddress, Ticket
from tickets.queues import save_queue

SUPPORT = "support@frontdesk.example"
#: Django's admin draws its icons (the theme switch) with inline SVG.
ADMIN_ELEMENTS = frozenset({"svg"})
#: The panel home draws a sparkline per period as inline <svg> of numbers only.
SPARKLINES = frozenset({"svg"})
#: Payloads in the names of files uploaded through the answer form.
UPLOADED = ("imgerror", "dquote", "squote", "bidi", "tplvar")
#: Drafts keep at most 100,000 characters a field (panel.models.DRAFT_MAX_CHARS).
DRAFT_LONG = 60_000


@dataclass
class Desk:
    world: World
    ticket: Ticket  # the one ticket with something hostile in every field it has
    hidden: Ticket  # a ticket the supervisor left a draft on and can no longer open
    from_stranger: Ticket  # opened from a hostile address
    account: Account
    queue: Queue
    doomed_queue: Queue
    mailbox: Mailbox
    quarantined: QuarantinedMessage
    #: Ticket number: the marker of its title.
    titles: dict[int, str] = field(default_factory=dict)
    #: Every marker planted, in order.
    markers: list[str] = field(default_factory=list)
    #: (payload as planted, its marker), for the check that no payload stands in a page raw.
    pieces: list[tuple[str, str]] = field(default_factory=list)

    def plant(self, text: str, *, hidden: set[str] | frozenset[str] = frozenset()) -> str:
        """Record the markers in ``text``, but those of the payloads ``hidden``
        (which rightly disappear, as HTML comments do in mail HTML)."""
        for each in markers_in(text):
            if each.removesuffix("!").rsplit("-", 1)[1] not in hidden:
                self.markers.append(each)
            piece = piece_of(text, each)
            if piece is not None:
                self.pieces.append((piece, each))
        return text

    def shown(self, *fields: str) -> tuple[str, ...]:
        return tuple(each for each in self.markers if field_of(each) in fields)


def one(field_name: str, name: str) -> str:
    return PAYLOADS[name](marker(field_name, name))


def file_name(field_name: str, name: str) -> str:
    """A payload with its marker moved to the end: a file name is what follows its last
    slash, and ``</svg>`` has one."""
    each = marker(field_name, name)
    return PAYLOADS[name](each).replace(each, "") + each


def address(field_name: str, name: str = "svgload") -> str:
    return ADDRESS_PAYLOADS[name](marker(field_name, name))


def build_desk(world: World, client: Client) -> Desk:
    """Every field filled; ``client`` posts the panel's own forms."""
    set_helpdesk(latest_tickets_count=100, support_address=address("settings"))
    QueueAddress.objects.create(queue=world.support, email=SUPPORT)
    staff = hostile_staff(world)
    accounts = hostile_accounts()
    queues = hostile_queues(world, list(staff.values()))
    ticket, message_id = mail_a_ticket()
    desk = Desk(
        world=world,
        ticket=ticket,
        hidden=world.ticket(world.sales, title="Out of sight"),
        from_stranger=world.ticket(title="From a stranger", requester_email=address("requester")),
        account=accounts["svgload"],
        queue=queues["imgerror"],
        doomed_queue=queues["script"],
        mailbox=hostile_mailbox(queues["imgerror"]),
        quarantined=quarantined_mail(),
    )
    for text in (
        address("settings"), address("requester"), address("author"), address("cc", "squote"),
        one("subject", "squote"), everything("text"),
        *(person.full_name for person in staff.values()),
        *(f"{each.name} {each.external_id}" for each in accounts.values()),
        *(contact.name for contact in desk.account.contacts.all()),
        desk.account.notes, *(queue.name for queue in queues.values()),
        desk.queue.new_ticket_response, desk.queue.closed_ticket_response, address("addr"),
        desk.mailbox.name, desk.mailbox.host, desk.mailbox.username, desk.mailbox.last_error,
        one("qfrom", "dquote"), one("qfrom", "imgerror"), one("qsubject", "script"),
        *(one("qheader", name) for name in PAYLOADS),
    ):  # fmt: skip
        desk.plant(text)
    desk.plant(everything("html", html=True), hidden=HIDDEN_AS_MARKUP)
    # File names lose what comes before a slash; the rest is the marker's to show.
    desk.markers += [marker("file", name) for name in PAYLOADS]
    desk.markers += [marker("upload", name) for name in UPLOADED]
    desk.markers += ["hx-utf8-body!", "hx-qbytes-raw!"]
    for name, payload in PAYLOADS.items():
        titled(desk, payload(marker("title", name)))
    titled(desk, long_word(marker("title", "long"), 255))
    work_on_the_ticket(desk, client, message_id)
    return desk


def mail_a_ticket() -> tuple[Ticket, str]:
    """The first mail opens the ticket: hostile display names, CCs and file names, a text
    part with every payload and an HTML part for the sanitiser. A CC answers in HTML
    only (the ticket shows the text of the sanitised HTML); the requester's client
    sends bytes that are no UTF-8 at all."""
    first = mail(
        sender=formataddr((one("fromname", "dquote"), "alice@a.example")),
        subject=one("subject", "squote"),
        cc=[
            formataddr((one("ccname", "imgerror"), "carol@c.example")),
            address("cc", "squote"),
            address("author"),
        ],
        text=everything("text"),
        html=everything("stored", html=True),
        files=[file_name("file", name) + ".pdf" for name in PAYLOADS],
    )
    result = ingest(first, "mailgate")
    assert result.inbound is not None and result.inbound.ticket is not None, result
    message_id = result.inbound.message_id
    reply = mail(
        sender=address("author"),
        subject="Re: it",
        html=everything("html", html=True),
        headers={"In-Reply-To": f"<{message_id}>"},
    )
    for raw in (reply, invalid_utf8(message_id)):
        replied = ingest(raw, "mailgate")
        assert replied.inbound is not None, replied
        assert replied.inbound.outcome == Outcome.REPLY, replied.inbound.match_detail
    return result.inbound.ticket, message_id


def titled(desk: Desk, title: str) -> Ticket:
    """A ticket of customer A with this title; every third one is the administrator's."""
    ticket = desk.world.ticket(title=title)
    if len(desk.titles) % 3 == 0:
        actions.assign(actor=SETUP, ticket=ticket, assignee=desk.world.admin)
    desk.titles[ticket.number] = markers_in(title)[0]
    desk.plant(title)
    return ticket


def work_on_the_ticket(desk: Desk, client: Client, message_id: str) -> None:
    """Notes, answers, a new title, account and queue, uploads and drafts, as staff do."""
    world, ticket = desk.world, desk.ticket
    assignee = User.objects.get(full_name=without_nul(one("staff", "dquote")))
    actions.assign(actor=SETUP, ticket=ticket, assignee=assignee)
    actions.add_note(actor=assignee, ticket=ticket, text=desk.plant(everything("note")))
    actions.answer(actor=assignee, ticket=ticket, text=desk.plant(everything("answer")))
    actions.change_details(
        actor=SETUP, ticket=ticket, title=desk.plant(one("history", "svgscript"))
    )
    title = desk.plant(one("ticket", "dquote") + long_word("W", 150))
    actions.change_details(actor=SETUP, ticket=ticket, title=title)
    actions.change_account(actor=SETUP, ticket=ticket, account=desk.account)
    actions.move(actor=SETUP, ticket=ticket, queue=desk.queue)
    failed_mail(ticket, error=desk.plant(without_nul(everything("mailfail", long=2_000))))
    quarantine_a_loop(desk, ticket)

    # The administrator types a profile into My Profile and uploads files.
    client.force_login(world.admin)
    name = as_many_as_fit("name", 200, ["squote", "svgload", "bidi"])
    description = as_many_as_fit("desc", 200, ["dquote", "jsurl"])
    form = rendered_form(client.get("/panel/profile/").content.decode(), "profile-form")
    typed = {"full_name": name, "description": description, "signature": everything("sig")}
    response = client.post("/panel/profile/", {**form, **typed})
    assert response.status_code == 302, response.content.decode()[-2000:]
    for text in typed.values():
        desk.plant(text)
    uploads = [
        SimpleUploadedFile(file_name("upload", name) + ".txt", b"data", "text/plain")
        for name in UPLOADED
    ]
    response = client.post(
        f"/panel/tickets/{ticket.number}/reply/",
        whole_form(client, ticket, answer="", note="The files.", attachments=uploads),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]

    drafts.keep(
        user=world.admin,
        ticket=ticket,
        answer=desk.plant(without_nul(everything("draft", long=DRAFT_LONG))),
        note=desk.plant(without_nul(everything("draftnote", long=DRAFT_LONG))),
        cc=desk.plant(address("draftcc", "squote")),
    )
    drafts.keep(
        user=world.supervisor,
        ticket=desk.hidden,
        answer=desk.plant(without_nul(everything("hidden", long=DRAFT_LONG))),
        note="",
        cc=desk.plant(one("hiddencc", "dquote")),
    )


def hostile_staff(world: World) -> dict[str, User]:
    """One agent of billing per payload, named by it (the admin site edits these)."""
    people = {}
    for number, (name, payload) in enumerate(PAYLOADS.items()):
        person = make_staff(
            f"staff{number}@frontdesk.example",
            Role.AGENT,
            world.billing,
            full_name=without_nul(payload(marker("staff", name))),
        )
        description = as_many_as_fit("staffdesc", 200, [name])
        StaffProfile.objects.filter(user=person).update(description=without_nul(description))
        people[name] = person
    return people


def hostile_accounts() -> dict[str, Account]:
    """An account per payload; the one the ticket moves to has a contact per payload."""
    accounts = {
        name: Account.objects.create(
            name=without_nul(payload(marker("account", name))),
            external_id=without_nul(payload(marker("extid", name))),
        )
        for name, payload in PAYLOADS.items()
    }
    chosen = accounts["svgload"]
    chosen.notes = without_nul(everything("notes"))
    chosen.save()
    for number, (name, payload) in enumerate(PAYLOADS.items()):
        Contact.objects.create(
            account=chosen,
            email=f"contact{number}@hostile.example",
            name=without_nul(payload(marker("contact", name))),
        )
    return accounts


def hostile_queues(world: World, staff: list[User]) -> dict[str, Queue]:
    """A queue per payload; one of them with hostile auto-responses and address."""
    queues = {}
    for name, payload in PAYLOADS.items():
        queue = Queue(name=without_nul(payload(marker("queue", name))))
        addresses: list[str] = []
        if name == "imgerror":
            queue.new_ticket_response = without_nul(everything("auto"))
            queue.closed_ticket_response = without_nul(everything("closedauto"))
            addresses = [address("addr")]
        queues[name] = save_queue(
            actor=world.admin,
            queue=queue,
            addresses=addresses,
            staff=[person.staff for person in staff if person.staff is not None],
            is_default=False,
            escalation_minutes=None,
        )
    return queues


def hostile_mailbox(queue: Queue) -> Mailbox:
    """A failing mailbox without encryption: its name is on every administrator's page."""
    return Mailbox.objects.create(
        name=one("mailbox", "dquote"),
        host=one("host", "squote"),
        username=one("mailuser", "imgerror"),
        security=Security.NONE,
        queue=queue,
        consecutive_failures=5,
        last_error=without_nul(everything("mailerror", long=5_000)),
    )


def quarantined_mail() -> QuarantinedMessage:
    """Two From headers (no single sender): ingest keeps it in quarantine; its pages
    show the headers, one of them raw bytes that are no UTF-8, one of 100 KB."""
    lines = [
        f"From: {formataddr((one('qfrom', 'dquote'), 'x@q.example'))}",
        f"From: {formataddr((one('qfrom', 'imgerror'), 'y@q.example'))}",
        f"To: {SUPPORT}",
        f"Subject: {one('qsubject', 'script')}",
        f"Message-ID: {make_msgid(domain='q.example')}",
        *(
            f"X-Hostile-{number}: {' '.join(without_nul(one('qheader', name)).split())}"
            for number, name in enumerate(PAYLOADS)
        ),
        f"X-Long: {long_word(marker('qlong', 'long'))}",
    ]
    raw = "\r\n".join(lines).encode()
    raw += b"\r\nX-Broken: \xff\xfe\xc3\x28 hx-qbytes-raw!\r\n\r\nBody.\r\n"
    result = ingest(raw, "mailgate")
    assert result.quarantined is not None, result
    return result.quarantined


def quarantine_a_loop(desk: Desk, ticket: Ticket) -> None:
    """Mail with our own Message-ID is kept as a loop; the Mail page shows its headers."""
    sender, subject = one("lfrom", "imgerror"), one("lsubject", "script")
    raw = mail(
        sender=formataddr((sender, "l@l.example")),
        subject=subject,
        text="Looping.",
        message_id=f"<{tokens.make_message_id(ticket.number)}>",
    )
    result = ingest(raw, "mailgate")
    assert result.inbound is not None and result.inbound.outcome == Outcome.LOOP, result
    desk.plant(f"{sender} {subject}")


def mail(
    *,
    sender: str,
    subject: str,
    text: str = "",
    html: str = "",
    cc: list[str] | None = None,
    files: list[str] | None = None,
    headers: dict[str, str] | None = None,
    message_id: str = "",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="a.example")
    for name, value in (headers or {}).items():
        message[name] = value
    if text:
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    for filename in files or []:
        message.add_attachment(
            b"%PDF-1.4", maintype="application", subtype="pdf", filename=filename
        )
    return message.as_bytes()


def invalid_utf8(in_reply_to: str) -> bytes:
    return b"\r\n".join(
        [
            b"From: alice@a.example",
            f"To: {SUPPORT}".encode(),
            b"Subject: Re: \xff\xfe =?utf-8?b?/w==?=",
            f"In-Reply-To: <{in_reply_to}>".encode(),
            f"Message-ID: {make_msgid(domain='a.example')}".encode(),
            b"Content-Type: text/plain; charset=utf-8",
            b"Content-Transfer-Encoding: 8bit",
            b"",
            b"hx-utf8-body! \xff\xfe\xc3\x28 <script>window.__pwned=1</script> \xed\xa0\x80",
            b"",
        ]
    )


# The pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    person: str  # an attribute of World
    markers: tuple[str, ...] = ()
    #: A ticket list: each row's title cell shows the marker of its ticket's title.
    rows: bool = False
    #: A page of the agent panel (with the administrator's name and the mailbox banner).
    panel: bool = True
    #: Elements the page's own templates use that no panel page has (see payloads.audit_markup).
    allow: frozenset[str] = frozenset()
    #: Boxes made to scroll sideways when their table is wide (Django's admin lists).
    scrolls: tuple[str, ...] = ()


def pages(desk: Desk) -> list[Page]:
    number = desk.ticket.number
    ticket_page = desk.shown(
        "ticket", "subject", "history", "text", "html", "author", "cc", "file", "upload",
        "utf8", "note", "answer", "draft", "draftnote", "draftcc", "mailfail", "title",
    ) + tuple(
        marker(name, payload)
        for name, payload in [
            ("account", "svgload"), ("extid", "svgload"), ("staff", "dquote"),
            ("queue", "imgerror"),
        ]
    )  # fmt: skip
    return [
        Page("home", "/panel/", "admin", desk.shown("ticket"), rows=True, allow=SPARKLINES),
        Page(
            "home of the supervisor",
            "/panel/",
            "supervisor",
            desk.shown("hidden", "hiddencc"),
            allow=SPARKLINES,
        ),
        Page("my tickets", "/panel/tickets/mine/", "admin", rows=True),
        Page("unassigned", "/panel/tickets/unassigned/", "admin", rows=True),
        Page("received today", "/panel/tickets/received/today/", "admin", rows=True),
        Page("search by title", "/panel/search/?q=hx-title", "admin", rows=True),
        Page(
            "search by requester",
            f"/panel/search/?{query(address('requester'))}",
            "admin",
            desk.shown("requester"),
            rows=True,
        ),
        Page(
            "search for a payload",
            f"/panel/search/?{query(one('query', 'dquote'))}",
            "admin",
            (marker("query", "dquote"),),
        ),
        Page("ticket", f"/panel/tickets/{number}/", "admin", ticket_page),
        Page(
            "account search",
            f"/panel/tickets/{number}/account/?q=hx-account",
            "admin",
            tuple(
                each
                for account in search_accounts("hx-account", ACCOUNT_RESULTS)
                for each in markers_in(f"{account.name} {account.external_id}")
            ),
        ),
        Page(
            "account search for a payload",
            f"/panel/tickets/{number}/account/?{query(one('query', 'squote'))}",
            "admin",
            (marker("query", "squote"),),
        ),
        Page("queues", "/panel/queues/", "admin", desk.shown("queue", "addr", "staff")),
        Page(
            "queue",
            f"/panel/queues/{desk.queue.pk}/",
            "admin",
            (*desk.shown("auto", "closedauto", "addr", "staff"), marker("queue", "imgerror")),
        ),
        Page(
            "queue delete",
            f"/panel/queues/{desk.doomed_queue.pk}/delete/",
            "admin",
            desk.shown("queue"),
        ),
        Page(
            "ticket delete",
            f"/panel/tickets/{desk.from_stranger.number}/delete/",
            "admin",
            desk.shown("requester"),
        ),
        Page("settings", "/panel/settings/", "admin", desk.shown("settings")),
        Page("profile", "/panel/profile/", "admin", desk.shown("name", "desc", "sig")),
        Page(
            "mail",
            "/panel/mail/",
            "admin",
            desk.shown("mailbox", "host", "mailuser", "mailerror", "lfrom", "lsubject"),
        ),
        Page(
            "quarantine",
            "/panel/mail/quarantine/",
            "admin",  # the first From of the two
            (marker("qfrom", "dquote"), *desk.shown("qsubject")),
        ),
        Page(
            "quarantine entry",
            f"/panel/mail/quarantine/{desk.quarantined.pk}/",
            "admin",
            (*desk.shown("qfrom", "qsubject", "qheader"), "hx-qbytes-raw!", "hx-qlong-long!"),
        ),
        # Every hostile title is on one page of the search (portal/lists.py PAGE_SIZE).
        Page(
            "customers' list", "/portal/?q=hx-title", "customer_a", desk.shown("title"), panel=False
        ),
        Page(
            "admin: ticket",
            f"/admin/tickets/ticket/{number}/change/",
            "admin",
            desk.shown("ticket", "subject", "history", "text", "note", "answer"),
            panel=False,
            allow=ADMIN_ELEMENTS,
        ),
        Page(
            "admin: account",
            f"/admin/accounts/account/{desk.account.pk}/change/",
            "admin",
            (*desk.shown("notes", "contact"), marker("account", "svgload")),
            panel=False,
            allow=ADMIN_ELEMENTS,
        ),
        Page(
            "admin: tickets",
            "/admin/tickets/ticket/",
            "admin",
            desk.shown("title", "ticket"),
            panel=False,
            allow=ADMIN_ELEMENTS,
            # Beside its filters it scrolls a little at 1280 px without any payload, too.
            scrolls=(".results",),
        ),
        Page(
            "admin: accounts",
            "/admin/accounts/account/",
            "admin",
            desk.shown("account", "extid"),
            panel=False,
            allow=ADMIN_ELEMENTS,
            scrolls=(".results",),
        ),
        Page(
            "admin: mailbox",
            f"/admin/mail/mailbox/{desk.mailbox.pk}/change/",
            "admin",
            desk.shown("mailbox", "host", "mailuser", "mailerror"),
            panel=False,
            allow=ADMIN_ELEMENTS,
        ),
    ]


def query(text: str) -> str:
    return urlencode({"q": text})


def chrome(desk: Desk, page: Page) -> tuple[str, ...]:
    """What every panel page of the administrator shows: their name and the mailbox banner."""
    if not page.panel or page.person != "admin":
        return ()
    return desk.shown("name") + desk.shown("mailbox")


def title_marker(desk: Desk, number: int) -> str | None:
    """The marker a ticket list row of this ticket must show, if its title has one."""
    if number == desk.ticket.number:
        return desk.shown("ticket")[0]
    return desk.titles.get(number)
