"""Who may reach which page: every URL the project serves, tried by every role.

The URLs are discovered from the URL configuration, so a new view is tried as
soon as it exists, and fails here until its row in ``EXPECTED`` says who may
use it. Each role tries each URL with GET and with an empty POST, each in a
transaction that is rolled back, against a billing ticket of account A that
is assigned to the agent. A role is *let in* when any method answers with
something other than a refusal: 401 (the REST API: a session is no token
there; tests/api/ tries it per role with tokens), 403, 404 (an existing ticket
that may not be seen looks like none), 405 (the method is not served), or a
redirect to sign in. The Django admin is Django's own (open to
administrators); only its index is tried.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Contact, User
from canned import library as canned
from canned.models import Macro
from crypto.models import PrivateKey
from kb.articles import create_article, publish, save_category
from kb.models import Article, Category, Visibility
from mail.ingest import quarantine, store_raw
from mail.models import InboundMessage, Outcome
from notifications import api as notify
from notifications.models import Notification
from panel.saved_views import save_view
from portal import links
from sla.models import Calendar, Policy
from tests.conftest import SETUP, World, upload
from tests.panel.helpers import failed_mail
from tickets import actions, mass
from tickets.models import (
    HelpdeskSettings,
    MassAction,
    Message,
    MessageKind,
    MessageSource,
    Ticket,
)
from webhooks.models import Delivery, Webhook

ROLES = (
    "anonymous",
    "customer_a",
    "customer_b",
    "agent",
    "other_agent",
    "supervisor",
    "other_supervisor",
    "admin",
)
STAFF = frozenset({"agent", "other_agent", "supervisor", "other_supervisor", "admin"})
SUPERVISING = frozenset({"supervisor", "other_supervisor", "admin"})
ADMIN = frozenset({"admin"})
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
CUSTOMERS = frozenset({"customer_a", "customer_b"})
EVERYBODY = frozenset(ROLES)
# The ticket is in billing (the supervisor's queue) and assigned to the agent.
SEE_THE_TICKET = frozenset({"agent", "supervisor", "admin"})

EXPECTED: dict[str, frozenset[str]] = {
    "home": SIGNED_IN,
    "login": EVERYBODY,
    # Only after the password step of someone with two-factor sign-in, in that session.
    "sign_in_code": frozenset(),
    "logout": EVERYBODY,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    # A new staff member's first password: the link tried here is no valid link.
    "welcome": EVERYBODY,
    "admin:index": ADMIN,
    "panel:home": STAFF,
    "panel:kb": STAFF,
    "panel:kb_article": STAFF,
    "panel:kb_categories": STAFF,
    "panel:kb_link_search": STAFF,
    # Supervisors and administrators write the knowledge base (kb/articles.py).
    "panel:kb_article_new": SUPERVISING,
    "panel:kb_article_edit": SUPERVISING,
    "panel:kb_preview_new": SUPERVISING,
    "panel:kb_preview": SUPERVISING,
    "panel:kb_publish": SUPERVISING,
    "panel:kb_unpublish": SUPERVISING,
    "panel:kb_category_new": SUPERVISING,
    "panel:kb_category_edit": SUPERVISING,
    # The public knowledge base: readable without signing in (public articles only).
    "kb:home": EVERYBODY,
    "kb:search": EVERYBODY,
    "kb:suggestions": EVERYBODY,
    "kb:category": EVERYBODY,
    "kb:article": EVERYBODY,
    "panel:search": STAFF,
    "panel:advanced_search": STAFF,
    # Saved views: anybody on staff has views of their own; the subject is a team view
    # (shared by the supervisor), which every staff member opens and only supervisors
    # and administrators change.
    # Canned replies and macros: anybody on staff keeps their own; the subjects are the
    # team's (shared by the supervisor), which only supervisors and administrators change.
    # The picker and applying a macro are for staff who see the ticket.
    "panel:canned": STAFF,
    "panel:canned_reply_new": STAFF,
    "panel:canned_reply_edit": SUPERVISING,
    "panel:canned_reply_delete": SUPERVISING,
    "panel:macro_new": STAFF,
    "panel:macro_edit": SUPERVISING,
    "panel:macro_delete": SUPERVISING,
    "panel:canned_picker": SEE_THE_TICKET,
    "panel:apply_macro": SEE_THE_TICKET,
    "panel:views": STAFF,
    "panel:views_nav": STAFF,
    "panel:view_create": STAFF,
    "panel:view": STAFF,
    "panel:view_edit": SUPERVISING,
    "panel:view_delete": SUPERVISING,
    "panel:view_up": SUPERVISING,
    "panel:view_down": SUPERVISING,
    "panel:mine": STAFF,
    "panel:unassigned": SUPERVISING,
    "panel:received": STAFF,
    "panel:make_ticket": STAFF,
    "panel:mass_assign": SUPERVISING,
    "panel:mass_move": SUPERVISING,
    "panel:mass_close": STAFF,
    "panel:mass_priority": STAFF,
    # A mass action's page: its owner (the agent here) and administrators; 404 for others.
    "panel:mass_job": frozenset({"agent", "admin"}),
    "panel:mass_jobs": STAFF,
    # Undoing a mass close: the job's owner and administrators (the token decides the rest).
    "panel:mass_undo": frozenset({"agent", "admin"}),
    "panel:mass_delete": SUPERVISING,
    "panel:mass_delete_confirmed": SUPERVISING,
    "panel:ticket": SEE_THE_TICKET,
    "panel:reply": SEE_THE_TICKET,
    "panel:reply_and_close": SEE_THE_TICKET,
    "panel:reply_and_hold": SEE_THE_TICKET,
    "panel:add_note": SEE_THE_TICKET,
    "panel:answer_preview": SEE_THE_TICKET,
    "panel:answer_mail_sent": SEE_THE_TICKET,
    # Showing PGP-protected information (S35): staff who see the ticket.
    "panel:reveal_encrypted": SEE_THE_TICKET,
    # A mail's HTML in a sandboxed frame: the subject message has HTML.
    "panel:message_html": SEE_THE_TICKET,
    "panel:message_html_frame": SEE_THE_TICKET,
    "panel:reveal_encrypted_attachment": SEE_THE_TICKET,
    "panel:answer_recipients": SEE_THE_TICKET,
    "panel:save_draft": SEE_THE_TICKET,
    # Only one's own draft goes, so it needs no sight of the ticket.
    "panel:discard_draft": STAFF,
    # The agent sees the ticket but may not pick up (the action refuses).
    "panel:pick_up": SEE_THE_TICKET - {"agent"},
    "panel:release": SEE_THE_TICKET,
    "panel:close": SEE_THE_TICKET,
    # Without a valid token it only says so; who closed it is the token's and the action's.
    "panel:undo_close": SEE_THE_TICKET,
    "panel:change": SEE_THE_TICKET,
    "panel:details": SEE_THE_TICKET,
    "panel:account_search": SEE_THE_TICKET,
    "panel:start_account_search": SEE_THE_TICKET,
    "panel:choose_account": SEE_THE_TICKET,
    "panel:delete": SEE_THE_TICKET - {"agent"},
    # Merge and split (S43): staff who may change the ticket; the action checks the other one.
    "panel:choose_merge": SEE_THE_TICKET,
    "panel:merge": SEE_THE_TICKET,
    "panel:split_message": SEE_THE_TICKET,
    # Supervisors who see the ticket, administrators and its assignee.
    "panel:retry_mail": SEE_THE_TICKET,
    "panel:attachment": SEE_THE_TICKET,
    "panel:profile": STAFF,
    # Notifications (S41): everybody on staff has their own list and settings; the
    # subject notification is the agent's, and nobody else marks it read (404).
    "panel:notifications": STAFF,
    "panel:notification_bell": STAFF,
    "panel:notifications_read_all": STAFF,
    "panel:notification_settings": STAFF,
    "panel:notification_read": frozenset({"agent"}),
    "panel:notification_open": frozenset({"agent"}),
    # Presence on the ticket page (S42): staff who see the ticket.
    "panel:presence": SEE_THE_TICKET,
    "panel:password": STAFF,
    # Their own time zone and thread order.
    "panel:reading_settings": STAFF,
    # The panel's theme (light, dark, the system's): everybody on staff, their own.
    "panel:theme": STAFF,
    # API tokens: staff make their own, administrators an integration's. The id tried
    # names no token (any token is revoked only by its owner or an administrator).
    "panel:api_tokens": STAFF,
    "panel:api_token_create": STAFF,
    "panel:integration_token_create": ADMIN,
    "panel:api_token_revoke": frozenset(),
    # The answer form's spellcheck (S36): every staff member checks and adds team words;
    # administrators choose the languages offered.
    "panel:spelling_my_language": STAFF,
    "panel:spelling_check": STAFF,
    "panel:spelling_suggest": STAFF,
    "panel:spelling_add_word": STAFF,
    "panel:spelling_languages": ADMIN,
    "panel:two_factor_set_up": STAFF,
    "panel:two_factor_recovery_codes": STAFF,
    "panel:two_factor_remove": STAFF,
    "panel:two_factor_staff": ADMIN,
    "panel:two_factor_reset": ADMIN,
    "panel:audit_log": ADMIN,
    # Staff: supervisors look, administrators invite and change people.
    "panel:staff": SUPERVISING,
    "panel:staff_invite": ADMIN,
    "panel:staff_edit": ADMIN,
    "panel:staff_reset_two_factor": ADMIN,
    "panel:staff_invite_again": ADMIN,
    # Reports (issue 15): supervisors and administrators, each of what they see.
    "panel:reports": SUPERVISING,
    "panel:reports_csv": SUPERVISING,
    "panel:queues": STAFF,
    "panel:queue_create": ADMIN,
    "panel:queue_edit": ADMIN,
    "panel:queue_delete": ADMIN,
    # Customer records: staff look, supervisors and administrators change (S46).
    "panel:customers": STAFF,
    "panel:customer": STAFF,
    "panel:customer_create": SUPERVISING,
    "panel:customer_edit": SUPERVISING,
    "panel:contact_create": SUPERVISING,
    "panel:contact_edit": SUPERVISING,
    "panel:contact_invite": SUPERVISING,
    # View as customer (S34): staff who see every ticket of account A, whose only
    # ticket is the subject; from the ticket page only those who see the ticket.
    "panel:contact_view_as": SEE_THE_TICKET,
    "panel:ticket_view_as": SEE_THE_TICKET,
    "panel:settings": ADMIN,
    # Service levels: administrators keep the calendars and policies.
    "panel:service_levels": ADMIN,
    "panel:calendar_create": ADMIN,
    "panel:calendar_edit": ADMIN,
    "panel:calendar_delete": ADMIN,
    "panel:policy_create": ADMIN,
    "panel:policy_edit": ADMIN,
    "panel:policy_delete": ADMIN,
    "panel:webhooks": ADMIN,
    "panel:webhook_create": ADMIN,
    "panel:webhook_edit": ADMIN,
    "panel:webhook_delete": ADMIN,
    "panel:webhook_delivery": ADMIN,
    "panel:webhook_delivery_resend": ADMIN,
    "panel:encryption_keys": ADMIN,
    "panel:remove_encryption_key": ADMIN,
    "portal:home": CUSTOMERS,
    "portal:new_ticket": CUSTOMERS,
    # The subject is a ticket of account A: customer B gets 404 for it and its file.
    "portal:ticket": frozenset({"customer_a"}),
    "portal:reply": frozenset({"customer_a"}),
    "portal:close": frozenset({"customer_a"}),
    "portal:attachment": frozenset({"customer_a"}),
    # Only for staff while they view the portal as a customer, which nobody here does.
    "portal:view_as_end": frozenset(),
    # The language switcher of every page (a cookie; for somebody signed in, saved too).
    "portal:language": EVERYBODY,
    # My settings: a customer's language and time zone.
    "portal:settings": CUSTOMERS,
    # The logo of the settings is public: it shows on the sign-in and public pages.
    "portal:logo": EVERYBODY,
    # The published public key: anybody may encrypt for the help desk.
    "portal:encryption_key": EVERYBODY,
    "portal:encryption_key_file": EVERYBODY,
    # A one-time link is for whoever holds it (a link of customer A's ticket here);
    # staff never sign in through one.
    "portal:link": EVERYBODY - STAFF,
    "portal:fresh_link": EVERYBODY - STAFF,
    # A rating link needs no sign-in; the token tried here is no rating link (its
    # signature is checked first), so nobody gets past it: tests/reports/test_ratings.py.
    "portal:rating": frozenset(),
    # Anybody may ask for a reset link; the one tried here is no valid link.
    "portal:password_reset": EVERYBODY,
    "portal:password_reset_done": EVERYBODY,
    "portal:password_reset_confirm": EVERYBODY,
    "portal:password_reset_complete": EVERYBODY,
    # Registration is off by default: nobody reaches it.
    "portal:register": frozenset(),
    "portal:register_verify": frozenset(),
    "panel:mail": ADMIN,
    "panel:loop_reprocess": ADMIN,
    "panel:quarantine": ADMIN,
    "panel:quarantine_entry": ADMIN,
    "panel:quarantine_raw": ADMIN,
    "panel:quarantine_reprocess": ADMIN,
    "panel:unmatched_reprocess": ADMIN,
    # The REST API answers only a bearer token (401 to everybody here); its schema and
    # documentation are public; its root is only a prefix (404, naming the docs).
    "api:api-root": frozenset(),
    "api:openapi-json": EVERYBODY,
    "api:openapi-view": EVERYBODY,
    **dict.fromkeys(
        (
            "api:tickets",
            "api:tickets_create",
            "api:ticket",
            "api:ticket_change",
            "api:ticket_reply",
            "api:ticket_note",
            "api:ticket_move",
            "api:ticket_assign",
            "api:ticket_pick_up",
            "api:ticket_release",
            "api:ticket_close",
            "api:ticket_reopen",
            "api:ticket_messages",
            "api:ticket_history",
            "api:attachment",
            "api:search",
            "api:queues",
            "api:accounts",
            "api:accounts_create",
            "api:account",
            "api:account_change",
            "api:account_delete",
            "api:account_contacts",
            "api:account_contacts_create",
            "api:contact",
            "api:contact_change",
            "api:contact_delete",
            "api:articles",
            "api:article",
        ),
        frozenset(),
    ),
}


def url_names() -> Iterator[str]:
    """Every named URL the project serves; of the admin site only its index."""

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace == "admin":
                    yield "admin:index"
                    continue
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}"

    return walk(get_resolver().url_patterns, "")


@dataclass
class Subjects:
    ticket: Ticket
    attachment_pk: int
    failed_mail_pk: int
    quarantined_pk: int
    loop_pk: int
    queue_pk: int
    staff_pk: int
    kb_article: Article
    kb_category: Category
    link_token: str
    saved_view_pk: int
    mass_job_pk: int
    webhook_pk: int
    delivery_pk: int
    calendar_pk: int
    policy_pk: int
    encrypted_message_pk: int
    retired_key_pk: int
    html_message_pk: int
    answer_message_pk: int
    canned_reply_pk: int
    macro_pk: int
    notification_pk: int


@pytest.fixture
def subjects(world: World, media_root: object) -> Subjects:
    ticket = world.ticket(world.billing, attachments=[upload("invoice.pdf", b"%PDF-1.4")])
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    mail = failed_mail(ticket)
    desk = HelpdeskSettings.load()
    desk.portal_logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    desk.save()
    entry = quarantine(b"Subject: broken\r\n\r\nbody", "test", "Broken: a test")
    raw = b"From: alice@a.example\r\nSubject: came back\r\n\r\nbody"
    name, sha = store_raw(raw)
    loop = InboundMessage.objects.create(
        message_id="loop-1@frontdesk.example",
        content_hash=sha,
        raw=name,
        raw_sha256=sha,
        size=len(raw),
        source="test",
        outcome=Outcome.LOOP,
    )
    category = save_category(editor=world.admin, category=None, name="Billing", slug="", order=1)
    article = create_article(
        editor=world.admin,
        title="Paying an invoice",
        body="By card.",
        category=category,
        visibility=Visibility.PUBLIC,
    )
    link = links.issue(ticket=ticket, email=ticket.requester_email)
    assert link is not None
    # The agent's mass action on the ticket: nothing to change, so it changes nothing.
    job = mass.start(
        owner=world.agent, action=MassAction.PRIORITY, numbers=[(ticket.number, None)], priority=50
    )
    team_reply = canned.save_reply(
        user=world.supervisor,
        reply=None,
        title="Thanks",
        text="Thank you!",
        shared=True,
        queue=None,
    )
    team_macro: Macro = canned.save_macro(
        user=world.supervisor, macro=None, name="Urgent", shared=True, priority=90
    )
    team_view = save_view(
        user=world.supervisor, name="Billing", query=f"queue={world.billing.pk}", shared=True
    )
    attachment_pk = ticket.messages.get().attachments.get().pk
    # The customer's message as a mail with HTML would have it.
    html_message_pk = ticket.messages.get().pk
    Message.objects.filter(pk=html_message_pk).update(html="<p>From a mail</p>")
    # A note with an armored block, and a current and a retired key (rows only: the
    # matrix asks who gets past the guards, not whether decrypting works).
    encrypted = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.NOTE,
        source=MessageSource.WEB,
        text="-----BEGIN PGP MESSAGE-----\n\nhQ==\n-----END PGP MESSAGE-----",
    )
    # An answer, as a row only: its mail page needs one, and the ticket stays unanswered.
    answer_message = Message.objects.create(
        ticket=ticket, kind=MessageKind.ANSWER, source=MessageSource.WEB, text="Answered."
    )
    PrivateKey.objects.create(
        fingerprint="aa" * 20, public_key="public", sealed_key=b"", sealed_passphrase=b""
    )
    retired = PrivateKey.objects.create(
        fingerprint="bb" * 20,
        public_key="public",
        sealed_key=b"",
        sealed_passphrase=b"",
        is_current=False,
    )
    webhook = Webhook.objects.create(
        name="Billing system", url="https://hooks.example/in", event_kinds=["ticket.closed"]
    )
    delivery = Delivery.objects.create(
        webhook=webhook, kind="ticket.closed", ticket_number=ticket.number, body="{}"
    )
    notification = Notification.objects.create(
        recipient=world.agent, kind=notify.ASSIGNED, ticket=ticket
    )
    calendar = Calendar.objects.create(name="Office")
    policy = Policy.objects.create(queue=world.billing, calendar=calendar, resolution_minutes=60)
    return Subjects(
        calendar_pk=calendar.pk,
        policy_pk=policy.pk,
        notification_pk=notification.pk,
        webhook_pk=webhook.pk,
        delivery_pk=delivery.pk,
        encrypted_message_pk=encrypted.pk,
        html_message_pk=html_message_pk,
        answer_message_pk=answer_message.pk,
        retired_key_pk=retired.pk,
        saved_view_pk=team_view.pk,
        canned_reply_pk=team_reply.pk,
        macro_pk=team_macro.pk,
        mass_job_pk=job.pk,
        link_token=link.rstrip("/").rsplit("/", 1)[-1],
        kb_article=publish(editor=world.admin, article=article),
        kb_category=category,
        ticket=ticket,
        attachment_pk=attachment_pk,
        failed_mail_pk=mail.pk,
        quarantined_pk=entry.pk,
        loop_pk=loop.pk,
        queue_pk=world.billing.pk,
        staff_pk=world.other_agent.pk,
    )


def url_of(name: str, subjects: Subjects) -> str:
    """The URL with the subjects' ids in whichever of its arguments it takes."""
    pk = {
        "panel:attachment": subjects.attachment_pk,
        "panel:reveal_encrypted_attachment": subjects.attachment_pk,
        "portal:attachment": subjects.attachment_pk,
        "panel:retry_mail": subjects.failed_mail_pk,
        "panel:queue_edit": subjects.queue_pk,
        "panel:queue_delete": subjects.queue_pk,
        "panel:quarantine_entry": subjects.quarantined_pk,
        "panel:quarantine_raw": subjects.quarantined_pk,
        "panel:quarantine_reprocess": subjects.quarantined_pk,
        "panel:loop_reprocess": subjects.loop_pk,
        "panel:unmatched_reprocess": subjects.loop_pk,
        "panel:two_factor_reset": subjects.staff_pk,
        **dict.fromkeys(
            ("panel:staff_edit", "panel:staff_reset_two_factor", "panel:staff_invite_again"),
            subjects.staff_pk,
        ),
        "panel:kb_category_edit": subjects.kb_category.pk,
        **dict.fromkeys(
            ("panel:view", "panel:view_edit", "panel:view_delete"), subjects.saved_view_pk
        ),
        **dict.fromkeys(("panel:view_up", "panel:view_down"), subjects.saved_view_pk),
        **dict.fromkeys(("panel:mass_job", "panel:mass_undo"), subjects.mass_job_pk),
        **dict.fromkeys(
            ("panel:canned_reply_edit", "panel:canned_reply_delete"), subjects.canned_reply_pk
        ),
        **dict.fromkeys(
            ("panel:macro_edit", "panel:macro_delete", "panel:apply_macro"), subjects.macro_pk
        ),
        **dict.fromkeys(("panel:webhook_edit", "panel:webhook_delete"), subjects.webhook_pk),
        **dict.fromkeys(("panel:calendar_edit", "panel:calendar_delete"), subjects.calendar_pk),
        **dict.fromkeys(("panel:policy_edit", "panel:policy_delete"), subjects.policy_pk),
        **dict.fromkeys(
            ("panel:webhook_delivery", "panel:webhook_delivery_resend"), subjects.delivery_pk
        ),
        "panel:reveal_encrypted": subjects.encrypted_message_pk,
        "panel:message_html": subjects.html_message_pk,
        "panel:message_html_frame": subjects.html_message_pk,
        # The ticket's customer message.
        "panel:split_message": subjects.html_message_pk,
        "panel:answer_mail_sent": subjects.answer_message_pk,
        "panel:remove_encryption_key": subjects.retired_key_pk,
        "panel:notification_read": subjects.notification_pk,
        "panel:notification_open": subjects.notification_pk,
    }.get(name, subjects.kb_article.pk if name.startswith(("panel:kb_", "kb:")) else None)
    if name.startswith("api:") or name == "panel:api_token_revoke":
        # Any id: the API refuses without a token first, and no API token has it.
        pk = pk or subjects.attachment_pk
    if name.startswith(("panel:customer", "panel:contact")):
        pk = customer_record_pk(name, subjects)
    number = subjects.ticket.number
    for arguments in (
        {},
        {"number": number},
        {"period": "month"},
        {"pk": pk},
        {"number": number, "pk": pk},
        {"number": number, "pk": pk, "part": 1},
        {"pk": pk, "slug": subjects.kb_article.slug},
        {"slug": subjects.kb_category.slug},
        {"token": subjects.link_token},
        {"table": "volume"},
        {"uidb64": "MA", "token": "no-such-token"},
    ):
        if None in arguments.values():
            continue
        try:
            return reverse(name, kwargs=arguments)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}: give its arguments in url_of")


def customer_record_pk(name: str, subjects: Subjects) -> int:
    """Account pages name the ticket's account (A); contact pages its requester's contact."""
    if name.startswith("panel:contact_") and name != "panel:contact_create":
        return Contact.objects.get(email=subjects.ticket.requester_email).pk
    assert subjects.ticket.account_id is not None
    return subjects.ticket.account_id


#: Their success is the sign-in page: a redirect there is no refusal.
SIGNS_OUT = {"logout"}


def is_refusal(response: HttpResponseBase, name: str) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    if name in SIGNS_OUT:
        return False
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    if name.startswith("portal:") and location.startswith("/panel/"):
        return True  # staff are sent to the panel: the portal is for customers
    return location.startswith(("/login/", "/admin/login/"))


def lets_in(client: Client, person: User | None, name: str, url: str) -> bool:
    """Does any method get past the guards? Each request's changes are rolled back,
    and the person signs in afresh for each (signing out would end the session)."""
    for method in (client.get, client.post):
        client.logout()
        if person is not None:
            client.force_login(person)
        with transaction.atomic():
            response = method(url)
            transaction.set_rollback(True)
        if not is_refusal(response, name):
            return True
    return False


def test_every_url_has_a_row_in_the_table():
    discovered = set(url_names())
    assert discovered - set(EXPECTED) == set(), "new views need a row in EXPECTED"
    assert set(EXPECTED) - discovered == set(), "rows for views that are gone"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_it_may(world, subjects, client, role):
    person = None if role == "anonymous" else getattr(world, role)
    reached = {
        name for name in set(url_names()) if lets_in(client, person, name, url_of(name, subjects))
    }
    allowed = {name for name, roles in EXPECTED.items() if role in roles}
    assert sorted(reached - allowed) == [], f"{role} reaches pages it may not"
    assert sorted(allowed - reached) == [], f"{role} is refused pages it may use"
