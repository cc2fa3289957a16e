"""The quick search (S16) and the advanced search (S22); both show panel/searching.py's
results, which saved views (panel/views/saved_views.py) show too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from panel import searching
from panel.auth import StaffRequest, is_supervising, staff_required
from panel.forms import staff_choices
from panel.view_forms import NewViewForm
from search import api as search
from tickets import queries
from tickets.criteria import MAX_TEXT, SORT_KEYS, Criteria, CriteriaForm
from tickets.visibility import can_see


def results_context(request: StaffRequest, results: searching.Results) -> dict[str, Any]:
    """What the results partial needs besides the results: the mass form's choices."""
    supervising = is_supervising(request.user)
    return {
        "results": results,
        "table": results,
        "assignees": staff_choices() if supervising else [],
        "move_queues": list(queries.queues_for_mass_move(request.user)) if supervising else [],
    }


def render_results(
    request: StaffRequest, template: str, results: searching.Results, **extra: Any
) -> HttpResponse:
    context = {**results_context(request, results), **extra}
    # Sorting and paging swap the results alone.
    if request.htmx:
        template = "panel/search_results.html#results"
    return render(request, template, context)


@require_GET
@staff_required
def quick_search(request: StaffRequest) -> HttpResponse:
    """S16: a number opens the ticket; an address finds its requester's tickets and
    those it is copied on; ``@example.com`` a domain's; anything else the full text.
    Closed and resolved tickets are found too (S4)."""
    typed = request.GET.get("q", "")
    query = queries.search_text(typed)
    if not query:
        if typed.strip():
            messages.info(request, _("Nothing to search for: control characters are never found."))
        return render(request, "panel/search.html", {"query": ""})
    number = queries.ticket_number(query)
    if number is not None:
        if can_see(request.user, number):
            return redirect("panel:ticket", number=number)
        messages.info(
            request, _("There is no ticket #%(number)s that you may see.") % {"number": number}
        )
    sort = request.GET.get("sort", "")
    criteria, title = _quick_criteria(query)
    if criteria is None:
        return render(request, "panel/search.html", {"query": query, "problem": title})
    if sort.lstrip("-") in SORT_KEYS:
        criteria = criteria.with_sort(sort)
    source = searching.Source(
        key="search", title=title, url=reverse("panel:search"), empty=_("No ticket matches.")
    )
    results = searching.build_results(request, request.user, criteria, source)
    advanced = f"{reverse('panel:advanced_search')}?{criteria.with_sort('').to_querystring()}"
    return render_results(request, "panel/search.html", results, query=query, advanced=advanced)


def _quick_criteria(query: str) -> tuple[Criteria | None, str]:
    """The search a quick-search box asks for and its title; (None, why) for none."""
    if len(query) > MAX_TEXT:
        return None, _("That is too long to search for: at most %(count)s characters.") % {
            "count": MAX_TEXT
        }
    if queries.is_email(query):
        title = _("Tickets from or copied to %(address)s") % {"address": query}
        return Criteria(email=query.lower(), include_closed=True), title
    if queries.is_domain(query):
        title = _("Tickets from %(domain)s") % {"domain": query}
        return Criteria(email=query.lower(), include_closed=True), title
    if not search.parse(query):
        return None, _("Nothing to search for: give at least one word that is not left out.")
    title = _("Tickets matching “%(words)s”") % {"words": query}
    return Criteria(text=query, include_closed=True), title


@require_GET
@staff_required
def advanced_search(request: StaffRequest) -> HttpResponse:
    """S22 as a GET form: the URL is the search, so it can be bookmarked, shared and
    saved as a view. A valid search is sent on to its one written form (no empty
    fields, values in order), which is what a bookmark and a view keep."""
    form = CriteriaForm(request.GET)
    # The criteria unfold on a page of no search and on mistakes; else the results come first.
    context: dict[str, Any] = {"form": form, "open_criteria": not request.GET}
    if not form.is_valid():
        context["open_criteria"] = any(name != "text" for name in form.errors)
        return render(request, "panel/advanced_search.html", context)
    criteria = form.criteria
    canonical = criteria.to_querystring()
    if _differs(request.GET, canonical):
        page = searching.page_number(request)
        suffix = f"page={page}" if page > 1 else ""
        query = "&".join(part for part in (canonical, suffix) if part)
        return redirect(f"{request.path}?{query}" if query else request.path)
    source = searching.Source(
        key="advanced",
        title=_("Results"),
        url=reverse("panel:advanced_search"),
        empty=_("No ticket meets these criteria."),
    )
    results = searching.build_results(request, request.user, criteria, source)
    context["summary"] = searching.criteria_summary(form)
    context["save_form"] = NewViewForm(
        initial={"query": canonical}, prefix="view", may_share=is_supervising(request.user)
    )
    return render_results(request, "panel/advanced_search.html", results, **context)


def _differs(asked: QueryDict, canonical: str) -> bool:
    """Is the query string other than the canonical one (the page number aside)?"""
    return _pairs(asked) != _pairs(QueryDict(canonical))


def _pairs(query: QueryDict) -> list[tuple[str, str]]:
    return sorted(
        (key, value) for key, values in query.lists() for value in values if key != "page"
    )
