"""Saved views (S39): open one, save a search as one, rename, share, reorder, delete,
and the navigation that lists them with their counts on every page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from panel import saved_views, searching
from panel.auth import StaffRequest, is_supervising, staff_required
from panel.forms import add_action_errors
from panel.models import SavedView
from panel.view_forms import NewViewForm, SavedViewForm
from panel.views.search import render_results
from tickets.criteria import SORT_KEYS, from_querystring


def _view(request: StaffRequest, pk: int) -> SavedView:
    try:
        return saved_views.view_for(request.user, pk)
    except SavedView.DoesNotExist:
        raise Http404("No such view.") from None


@require_GET
@staff_required
def navigation(request: StaffRequest) -> HttpResponse:
    """The views with their counts, which every panel page loads into its navigation."""
    return render(
        request, "panel/_views_nav.html", {"views": saved_views.counted_views(request.user)}
    )


@require_GET
@staff_required
def view_list(request: StaffRequest) -> HttpResponse:
    """Every view the person sees, with counts and what they may do with each."""
    listed = saved_views.counted_views(request.user)
    return render(request, "panel/saved_views.html", {"views": listed})


@require_GET
@staff_required
def view_page(request: StaffRequest, pk: int) -> HttpResponse:
    """The view's search, run as the person looking; its sort may be changed here."""
    view = _view(request, pk)
    context = {"view": view, "may_change": saved_views.may_change(request.user, view)}
    try:
        criteria = from_querystring(view.query)
    except ValidationError as error:
        context["problems"] = error.messages
        return render(request, "panel/saved_view.html", context)
    sort = request.GET.get("sort", "")
    if sort:
        criteria = criteria.with_sort(sort if sort.lstrip("-") in SORT_KEYS else "")
    source = searching.Source(
        key=f"view-{view.pk}",
        title=_("Tickets in this view"),
        url=reverse("panel:view", args=[view.pk]),
        empty=_("No ticket is in this view now."),
    )
    kept = QueryDict(mutable=True)
    if sort:
        kept["sort"] = sort
    results = searching.build_results(request, request.user, criteria, source, query=kept)
    context["advanced"] = f"{reverse('panel:advanced_search')}?{view.query}"
    return render_results(request, "panel/saved_view.html", results, **context)


@require_POST
@staff_required
def view_create(request: StaffRequest) -> HttpResponse:
    """ "Save as view" on the advanced search's results."""
    form = NewViewForm(request.POST, prefix="view", may_share=is_supervising(request.user))
    if form.is_valid():
        try:
            view = saved_views.save_view(
                user=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                shared=form.cleaned_data.get("shared", False),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
            return redirect("panel:view", pk=view.pk)
    return render(request, "panel/saved_view_form.html", {"form": form, "new": True}, status=422)


@require_http_methods(["GET", "POST"])
@staff_required
def view_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """Rename a view; supervisors and administrators also share it or stop sharing it."""
    view = _view(request, pk)
    if not saved_views.may_change(request.user, view):
        raise PermissionDenied(_("You may not change this view."))
    may_share = is_supervising(request.user)
    if request.method == "POST":
        form = SavedViewForm(request.POST, may_share=may_share)
        if form.is_valid():
            try:
                saved_views.change_view(
                    user=request.user,
                    view=view,
                    name=form.cleaned_data["name"],
                    shared=form.cleaned_data.get("shared", view.shared),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The view is saved."))
                return redirect("panel:views")
        status = 422
    else:
        form = SavedViewForm(
            initial={"name": view.name, "shared": view.shared}, may_share=may_share
        )
        status = 200
    context = {"form": form, "view": view, "new": False}
    return render(request, "panel/saved_view_form.html", context, status=status)


@require_POST
@staff_required
def view_delete(request: StaffRequest, pk: int) -> HttpResponse:
    view = _view(request, pk)
    saved_views.delete_view(user=request.user, view=view)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
    return redirect("panel:views")


@require_POST
@staff_required
def view_up(request: StaffRequest, pk: int) -> HttpResponse:
    saved_views.move_view(user=request.user, view=_view(request, pk), up=True)
    return redirect("panel:views")


@require_POST
@staff_required
def view_down(request: StaffRequest, pk: int) -> HttpResponse:
    saved_views.move_view(user=request.user, view=_view(request, pk), up=False)
    return redirect("panel:views")
