"""The ticket page (S18) and its answer form (S19)."""

from __future__ import annotations

from functools import partial
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.queries import contacts_by_requester
from frontdesk.storage import out_of_space
from frontdesk.text import visible_controls
from mail.conf import max_cc
from mail.outbound import answer_recipients
from mail.outbox import failed_mail_for
from panel import drafts, reading, undo
from panel.auth import StaffRequest, is_supervising, may_retry_mail, staff_required
from panel.forms import (
    OUT_OF_SPACE,
    AnswerForm,
    ChangeForm,
    DetailsForm,
    add_action_errors,
    split_addresses,
)
from reports import queries as report_queries
from tickets import actions, queries, stored_files
from tickets.models import HelpdeskSettings, Status, Ticket
from tickets.visibility import get_ticket_for


def change_form(ticket: Ticket, user: Any, data: QueryDict | None = None) -> ChangeForm:
    initial = {
        "assignee": ticket.assignee_id,
        "assignee_shown": ticket.assignee_id,
        "status": ticket.status,
        "priority": ticket.priority,
        "is_sticky": ticket.is_sticky,
        "queue": ticket.queue_id,
    }
    # Prefixed: these controls are posted with the answer form, which has an assignee too.
    return ChangeForm(
        data,
        initial=initial,
        can_assign=is_supervising(user),
        queues=queries.queues_to_move_to(user, ticket),
        prefix="change",
        auto_id="%s",
    )


def details_form(ticket: Ticket, data: QueryDict | None = None) -> DetailsForm:
    # Direction controls show as markers here too; DetailsForm turns them back on saving.
    initial = {"title": visible_controls(ticket.title), "requester_email": ticket.requester_email}
    return DetailsForm(data, initial=initial, prefix="details", auto_id="%s")


# What a property change made without JavaScript brings back of the answer form.
TYPED_FIELDS = ("cc", "answer", "note", "expected_version")


def typed_answer(request: StaffRequest, ticket: Ticket) -> dict[str, str]:
    """The answer form as the person left it, if they typed in it, posted with a change.

    Without JavaScript every button of the ticket page submits the answer form
    (see PropertyForm), so the page that answers a change can put the text back.
    The "Assign to" choice is not brought back: it must follow the ticket.
    """
    if request.htmx or request.method != "POST":
        return {}
    typed = {name: request.POST[name] for name in TYPED_FIELDS if name in request.POST}
    if (
        typed.get("answer", "").strip()
        or typed.get("note", "").strip()
        or typed.get("cc", ", ".join(ticket.cc)).strip() != ", ".join(ticket.cc)
    ):
        return typed
    return {}


def answer_form(
    ticket: Ticket,
    user: Any,
    data: QueryDict | None = None,
    files: Any = None,
    *,
    limits: HelpdeskSettings,
    typed: dict[str, str] | None = None,
) -> AnswerForm:
    initial = {
        "assignee": ticket.assignee_id,
        "assignee_shown": ticket.assignee_id,
        "cc": ", ".join(ticket.cc),
        "expected_version": ticket.version,
        **(typed or {}),
    }
    return AnswerForm(
        data,
        files,
        initial=initial,
        can_assign=is_supervising(user),
        max_attachment_size=limits.max_attachment_size,
        auto_id="answer-%s",
    )


def with_version(data: QueryDict, ticket: Ticket) -> QueryDict:
    """The person's input against the current ticket, so sending again works.

    An assignee the person did not choose follows the ticket's current one;
    one they chose stays their choice.
    """
    data = data.copy()
    data["expected_version"] = str(ticket.version)
    current = str(ticket.assignee_id or "")
    if data.get("assignee", "") == data.get("assignee_shown", ""):
        data["assignee"] = current
    data["assignee_shown"] = current
    return data


def answer_preview(ticket: Ticket, cc_text: str) -> dict[str, Any]:
    """Who the answer goes to with the CC field as it stands, shown above the answer."""
    recipients = answer_recipients(ticket.requester_email, split_addresses(cc_text))
    limit = max_cc()
    return {
        "to": recipients.to,
        "cc": recipients.cc,
        "cc_limit": limit,
        "too_many_cc": len(recipients.cc) > limit,
    }


def view_as_choice(user: Any, ticket: Ticket) -> dict[str, Any]:
    """Whom the person may open the portal as from this ticket (S34): a contact of its
    account, the requester first, when they see every ticket of the account."""
    if ticket.account is None:
        return {"may_view_as": False, "view_as_contacts": [], "account_contacts": []}
    # One read of the contacts for the side panel and the view-as choice.
    contacts = SimpleLazyObject(
        partial(contacts_by_requester, ticket.account, ticket.requester_email)
    )
    return {
        "may_view_as": queries.sees_whole_account(user, ticket.account.pk),
        "view_as_contacts": contacts,
        "account_contacts": contacts,
    }


def page_context(request: StaffRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    """The whole page; querysets stay lazy, so a partial costs only what it shows."""
    user = request.user
    limits = HelpdeskSettings.load()
    thread = queries.thread(user, ticket)
    newest_first = not request.htmx and reading.newest_first(user)
    context: dict[str, Any] = {
        "ticket": ticket,
        "thread": thread.reverse() if newest_first else thread,
        "newest_first": newest_first,
        "latest": queries.latest_of_requester(user, ticket, limits.latest_tickets_count),
        "history": SimpleLazyObject(partial(queries.history_of, ticket)),
        "ratings": SimpleLazyObject(partial(report_queries.ratings_of_ticket, ticket.pk)),
        "merged_here": SimpleLazyObject(partial(queries.merged_into_this, user, ticket)),
        "can_assign": is_supervising(user),
        "can_release": ticket.assignee_id is not None
        and (is_supervising(user) or ticket.assignee_id == user.pk),
        "change_form": change_form(ticket, user),
        "details_form": details_form(ticket),
        "failed_mail": failed_mail_for(ticket),
        "can_retry_mail": may_retry_mail(user, ticket),
        **view_as_choice(user, ticket),
    }
    if "answer_form" not in extra:
        # A refused or conflicting change without JavaScript: the text comes back
        # with the version it was typed on, as the person has not sent it yet.
        typed = typed_answer(request, ticket)
        context["files_dropped"] = bool(typed and request.FILES)
        if not typed and not request.htmx:
            # Text typed earlier and never sent (a closed tab, another page).
            draft = drafts.draft_for(user, ticket)
            typed = drafts.as_typed(draft) if draft else {}
            context["restored_draft"] = draft
        context["answer_form"] = answer_form(ticket, user, limits=limits, typed=typed)
    context.update(extra)
    cc_text = context["answer_form"]["cc"].value() or ""
    context["recipients"] = SimpleLazyObject(partial(answer_preview, ticket, cc_text))
    return context


def render_page(
    request: StaffRequest, ticket: Ticket, status: int = 200, **extra: Any
) -> HttpResponse:
    context = page_context(request, ticket, **extra)
    return render(request, "panel/ticket.html", context, status=status)


def render_properties(
    request: StaffRequest, ticket: Ticket, status: int = 200, **extra: Any
) -> HttpResponse:
    """The property panel alone for htmx, the whole page otherwise."""
    if not request.htmx:
        return render_page(request, ticket, status, **extra)
    context = page_context(request, ticket, **extra)
    return render(request, "panel/ticket.html#properties", context, status=status)


def after_change(
    request: StaffRequest,
    number: int,
    notice: str,
    *,
    answer_sent: bool = False,
    undo_offer: undo.Offer | None = None,
) -> HttpResponse:
    """Show the changed ticket, or say it left this person's view; with ``undo_offer``
    (a close) the notice offers to take the change back for a few seconds."""
    changed = queries.find(request.user, number)
    if changed is None:
        gone = _("%(notice)s You no longer see ticket #%(number)s.")
        messages.success(request, gone % {"notice": notice, "number": number})
        if request.htmx:
            return HttpResponseClientRedirect(reverse("panel:home"))
        return redirect("panel:home")
    if request.htmx:
        # The answer form keeps its text; its version, its "Assign to" (when the
        # assignee changed: a choice made there otherwise stays) and the history
        # follow this change, so sending it never hands the ticket back.
        shown = request.POST.get("assignee_shown", "")
        return render_properties(
            request,
            changed,
            panel_notice=notice,
            undo_offer=undo_offer,
            refresh_versions=True,
            refresh_assignee=shown != str(changed.assignee_id or ""),
        )
    typed = {} if answer_sent else typed_answer(request, changed)
    if typed:
        # No redirect: the text exists only in this request. As with htmx, its
        # version follows the change the person has just made.
        typed["expected_version"] = str(changed.version)
        form = answer_form(changed, request.user, limits=HelpdeskSettings.load(), typed=typed)
        return render_page(
            request,
            changed,
            panel_notice=notice,
            undo_offer=undo_offer,
            answer_form=form,
            files_dropped=bool(request.FILES),
        )
    if undo_offer is not None:
        undo.keep_for_next_page(request, undo_offer)
    messages.success(request, notice)
    return redirect("panel:ticket", number=number)


@require_GET
@staff_required
def ticket_page(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    return render_page(request, ticket, undo_offer=undo.taken_for(request, number))


@require_GET
@staff_required
def recipients(request: StaffRequest, number: int) -> HttpResponse:
    """The answer form's "Goes to" line for the CC field as typed (htmx, while typing)."""
    ticket = get_ticket_for(request.user, number)
    context = {"ticket": ticket, "recipients": answer_preview(ticket, request.GET.get("cc", ""))}
    return render(request, "panel/ticket.html#recipients", context)


def send_reply(
    request: StaffRequest, ticket: Ticket, data: dict[str, Any], then: str | None = None
) -> str:
    """Note, answer, status (``then``: closed or on hold) and assignment as one transaction.

    The note goes first and the assignment travels with the answer, because
    handing the ticket to somebody else may take it out of this person's view,
    and the answer mail must name the new assignee. "On hold" is set before the
    answer, which would otherwise close the ticket (auto-close 0); "closed"
    follows it, without the closing notice: the answer is what the customer
    reads. A reassignment with a close comes last, after the close.
    """
    version = data["expected_version"]
    answer_text, note_text = data["answer"].strip(), data["note"].strip()
    files = data["attachments"]
    chosen = data.get("assignee")
    # Only a choice that differs from what the form showed is a reassignment.
    reassign = (
        "assignee" in data
        and chosen != ticket.assignee
        and (chosen.pk if chosen else None) != data.get("assignee_shown")
    )
    done = []
    # One transaction; attachment files it wrote go again if it rolls back (a Conflict).
    with stored_files.atomic():
        if note_text:
            message = actions.add_note(
                actor=request.user,
                ticket=ticket.number,
                text=data["note"],
                attachments=[] if answer_text else files,
                expected_version=version,
            )
            version = message.ticket.version
            done.append(_("Note added."))
        if then == Status.ON_HOLD:
            version = actions.change(
                actor=request.user, ticket=ticket.number, status=then, expected_version=version
            ).version
        assign_with_answer = reassign and chosen is not None and then != Status.CLOSED
        if answer_text:
            message = actions.answer(
                actor=request.user,
                ticket=ticket.number,
                text=data["answer"],
                cc=data["cc"],
                attachments=files,
                expected_version=version,
                assign_to=chosen if assign_with_answer else None,
            )
            version = message.ticket.version
            done.append(_("Answer sent."))
        if then == Status.CLOSED:
            version = actions.close(
                actor=request.user,
                ticket=ticket.number,
                expected_version=version,
                tell_customer=False,
            ).version
        if then is not None:
            done.append(_("Status: %(status)s.") % {"status": Status(then).label})
        if reassign and not (answer_text and assign_with_answer):
            # Releasing cannot travel with the answer; it follows it.
            actions.assign(
                actor=request.user,
                ticket=ticket.number,
                assignee=chosen,
                expected_version=version,
            )
        if reassign:
            done.append(_("Assigned to %(name)s.") % {"name": chosen or _("nobody")})
    return " ".join(done)


@require_POST
@staff_required
def reply(request: StaffRequest, number: int) -> HttpResponse:
    return send_answer_form(request, number)


@require_POST
@staff_required
def reply_and_close(request: StaffRequest, number: int) -> HttpResponse:
    return send_answer_form(request, number, then=Status.CLOSED)


@require_POST
@staff_required
def reply_and_hold(request: StaffRequest, number: int) -> HttpResponse:
    """Sent and set on hold: waiting for the customer, or for something else on purpose."""
    return send_answer_form(request, number, then=Status.ON_HOLD)


@require_POST
@staff_required
def add_note(request: StaffRequest, number: int) -> HttpResponse:
    """The internal note alone; the answer typed beside it stays for later (as the draft)."""
    return send_answer_form(request, number, note_only=True)


def send_answer_form(
    request: StaffRequest, number: int, then: str | None = None, *, note_only: bool = False
) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    # Kept first: a refused or failing send leaves the text saved; success deletes it.
    drafts.keep_posted_text(request.user, ticket, request.POST)
    limits = HelpdeskSettings.load()
    form = answer_form(ticket, request.user, request.POST, request.FILES, limits=limits)
    if form.is_valid() and then and not form.cleaned_data["answer"].strip():
        form.add_error("answer", _("Write the answer to send; the status changes with it."))
    if form.is_valid() and note_only and not form.cleaned_data["note"].strip():
        form.add_error("note", _("Write the note to add."))
    if not form.is_valid():
        return render_page(request, ticket, 422, answer_form=form)
    data = form.cleaned_data
    if note_only:
        # Neither the answer nor an assignment goes with a note added on its own.
        data = {**data, "answer": "", "assignee_shown": None}
        data.pop("assignee", None)
    try:
        notice = send_reply(request, ticket, data, then)
    except actions.Conflict as conflict:
        ticket = get_ticket_for(request.user, number)
        data = with_version(request.POST, ticket)
        form = answer_form(ticket, request.user, data, limits=limits)
        return render_page(
            request,
            ticket,
            409,
            answer_form=form,
            answer_conflict=conflict,
            files_dropped=bool(request.FILES),
        )
    except ValidationError as error:
        add_action_errors(form, error, {"text": "answer"})
        return render_page(request, ticket, 422, answer_form=form)
    except OSError as error:
        if not out_of_space(error):
            raise
        # Nothing was sent; the text is on the page again and kept as the draft.
        form.add_error("attachments", OUT_OF_SPACE)
        return render_page(request, ticket, HTTPStatus.INSUFFICIENT_STORAGE, answer_form=form)
    drafts.discard(user=request.user, ticket=ticket)
    if note_only:
        # The answer and CC typed beside the note come back on the page from here.
        answer, cc = request.POST.get("answer", ""), request.POST.get("cc", "")
        drafts.keep(user=request.user, ticket=ticket, answer=answer, note="", cc=cc)
    return after_change(request, number, notice, answer_sent=True)
