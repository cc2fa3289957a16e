"""Canned replies and macros (canned/): their pages, the answer form's picker, applying a macro."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from canned import library, macros, placeholders
from canned.models import CannedReply, Macro
from panel import drafts
from panel.auth import StaffRequest, is_supervising, staff_required
from panel.canned_forms import CannedReplyForm, MacroForm
from panel.forms import PROPERTIES_VERSION, add_action_errors
from panel.views.ticket import after_change, render_properties
from tickets import actions
from tickets.visibility import get_ticket_for


def _reply(request: StaffRequest, pk: int) -> CannedReply:
    try:
        return library.reply_for(request.user, pk)
    except CannedReply.DoesNotExist:
        raise Http404("No such reply.") from None


def _macro(request: StaffRequest, pk: int) -> Macro:
    try:
        return library.macro_for(request.user, pk)
    except Macro.DoesNotExist:
        raise Http404("No such macro.") from None


def _warn_of_unknown(request: StaffRequest, text: str) -> None:
    unknown = placeholders.unknown_in(text)
    if unknown:
        warning = _("These placeholders do not exist and stay as typed: %(names)s.")
        messages.warning(request, warning % {"names": ", ".join(unknown)})


@require_GET
@staff_required
def canned_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    context = {
        "replies": [
            (reply, library.may_change(user, reply)) for reply in library.replies_for(user)
        ],
        "macros": [(macro, library.may_change(user, macro)) for macro in library.macros_for(user)],
        "placeholders": placeholders.PLACEHOLDERS,
    }
    return render(request, "panel/canned.html", context)


Saved = TypeVar("Saved", CannedReply, Macro)


def _editing_page(
    request: StaffRequest,
    kept: Saved | None,
    initial: Mapping[str, object],
    *,
    form_class: type[CannedReplyForm] | type[MacroForm],
    save: Callable[[dict[str, Any]], Saved],
    said: Callable[[Saved], tuple[str, str]],
    template: str,
    kept_as: str,
) -> HttpResponse:
    """The page of a reply or a macro, new or changed: its form, saved through
    canned.library; ``said`` gives the text to check for placeholders and the notice,
    and the template sees the reply or macro as ``kept_as``."""
    may_share = is_supervising(request.user)
    if request.method == "POST":
        form = form_class(request.POST, may_share=may_share, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            data.setdefault("shared", kept.shared if kept else False)
            try:
                saved = save(data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                text, notice = said(saved)
                _warn_of_unknown(request, text)
                messages.success(request, notice)
                return redirect("panel:canned")
        status = 422
    else:
        form, status = form_class(initial=initial, may_share=may_share), 200
    context = {"form": form, kept_as: kept, "placeholders": placeholders.PLACEHOLDERS}
    return render(request, template, context, status=status)


def _reply_page(
    request: StaffRequest, reply: CannedReply | None, initial: Mapping[str, object]
) -> HttpResponse:
    def save(data: dict[str, Any]) -> CannedReply:
        return library.save_reply(
            user=request.user,
            reply=reply,
            title=data["title"],
            text=data["text"],
            shared=data["shared"],
            queue=data["queue"],
        )

    def said(saved: CannedReply) -> tuple[str, str]:
        return saved.text, _("The reply “%(title)s” is saved.") % {"title": saved.title}

    return _editing_page(
        request,
        reply,
        initial,
        form_class=CannedReplyForm,
        save=save,
        said=said,
        template="panel/canned_reply_form.html",
        kept_as="reply",
    )


@require_http_methods(["GET", "POST"])
@staff_required
def reply_create(request: StaffRequest) -> HttpResponse:
    return _reply_page(request, None, {})


@require_http_methods(["GET", "POST"])
@staff_required
def reply_edit(request: StaffRequest, pk: int) -> HttpResponse:
    reply = _reply(request, pk)
    if not library.may_change(request.user, reply):
        raise PermissionDenied(_("You may not change this reply."))
    initial = {
        "title": reply.title,
        "text": reply.text,
        "queue": reply.queue_id,
        "shared": reply.shared,
    }
    return _reply_page(request, reply, initial)


@require_POST
@staff_required
def reply_delete(request: StaffRequest, pk: int) -> HttpResponse:
    reply = _reply(request, pk)
    library.delete(user=request.user, kept=reply)
    messages.success(request, _("The reply “%(title)s” is deleted.") % {"title": reply.title})
    return redirect("panel:canned")


def _macro_page(
    request: StaffRequest, macro: Macro | None, initial: Mapping[str, object]
) -> HttpResponse:
    def save(data: dict[str, Any]) -> Macro:
        return library.save_macro(
            user=request.user,
            macro=macro,
            name=data["name"],
            shared=data["shared"],
            reply=data["reply"],
            status=data["status"],
            priority=data["priority"],
            queue=data["queue"],
            assignment=data["assignment"],
            assignee=data["assignee"],
        )

    def said(saved: Macro) -> tuple[str, str]:
        return saved.reply, _("The macro “%(name)s” is saved.") % {"name": saved.name}

    return _editing_page(
        request,
        macro,
        initial,
        form_class=MacroForm,
        save=save,
        said=said,
        template="panel/macro_form.html",
        kept_as="macro",
    )


@require_http_methods(["GET", "POST"])
@staff_required
def macro_create(request: StaffRequest) -> HttpResponse:
    return _macro_page(request, None, {})


@require_http_methods(["GET", "POST"])
@staff_required
def macro_edit(request: StaffRequest, pk: int) -> HttpResponse:
    macro = _macro(request, pk)
    if not library.may_change(request.user, macro):
        raise PermissionDenied(_("You may not change this macro."))
    initial = {
        "name": macro.name,
        "reply": macro.reply,
        "status": macro.status,
        "priority": macro.priority,
        "queue": macro.queue_id,
        "assignment": macro.assignment,
        "assignee": macro.assignee_id,
        "shared": macro.shared,
    }
    return _macro_page(request, macro, initial)


@require_POST
@staff_required
def macro_delete(request: StaffRequest, pk: int) -> HttpResponse:
    macro = _macro(request, pk)
    library.delete(user=request.user, kept=macro)
    messages.success(request, _("The macro “%(name)s” is deleted.") % {"name": macro.name})
    return redirect("panel:canned")


@require_GET
@staff_required
def picker(request: StaffRequest, number: int) -> HttpResponse:
    """The answer form's replies for the words typed, each filled in for this ticket."""
    ticket = get_ticket_for(request.user, number)
    words = request.GET.get("q", "")
    offered = library.offered_replies(request.user, ticket, words)
    filled = [
        (reply, placeholders.fill(reply.text, ticket=ticket, agent=request.user))
        for reply in offered
    ]
    context = {"ticket": ticket, "words": words, "results": filled, "searched": True}
    template = "panel/canned_picker.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_POST
@staff_required
def apply_macro(request: StaffRequest, number: int, pk: int) -> HttpResponse:
    """One click on the ticket page: the macro's reply and changes, all or nothing."""
    ticket = get_ticket_for(request.user, number)
    # Kept first, like every button of the ticket page: the text typed is never lost.
    drafts.keep_posted_text(request.user, ticket, request.POST)
    macro = _macro(request, pk)
    version = request.POST.get(PROPERTIES_VERSION, "")
    if not version.isdigit():
        raise SuspiciousOperation("The form did not say which version of the ticket it showed.")
    try:
        macros.apply_macro(
            actor=request.user, ticket=ticket, macro=macro, expected_version=int(version)
        )
    except actions.Conflict as conflict:
        ticket = get_ticket_for(request.user, number)
        return render_properties(request, ticket, 409, panel_conflict=conflict)
    except (PermissionDenied, ValidationError) as refused:
        reasons = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
        refusal = _("The macro “%(name)s” changed nothing: %(reasons)s") % {
            "name": macro.name,
            "reasons": " ".join(reasons),
        }
        return render_properties(request, ticket, 422, macro_refusal=refusal)
    notice = _("The macro “%(name)s” is applied.") % {"name": macro.name}
    return after_change(request, number, notice)
