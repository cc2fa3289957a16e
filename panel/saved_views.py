"""Saved views (S39): who sees and changes which, their order, and their live counts.

A view is a name and a search's query string (tickets/criteria.py), kept by the
panel like a draft: it is no change of a ticket and never goes through
tickets/actions. Its tickets are always those ``find_tickets`` gives the person
*looking*, so a view shared by a supervisor shows an agent only the agent's own
tickets.

Rules: everybody sees their own views and the team's (shared) ones, never
another person's private views; anybody may save views of their own, only
supervisors and administrators share a view or change, reorder and delete
shared ones; a private view is changed by its owner alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from frontdesk.text import one_line
from panel.auth import is_supervising
from panel.models import SavedView
from tickets import queries
from tickets.criteria import Choices, Criteria, from_querystring

#: The navigation counts each view up to here and says "999+" beyond, so a view of
#: a huge backlog costs no more than one of a few tickets.
NAV_COUNT_CAP = 999
MAX_NAME = 100


def views_for(user: User) -> QuerySet[SavedView]:
    """The views a person sees: the team's first, then their own, each in its order."""
    return SavedView.objects.filter(Q(shared=True) | Q(owner=user)).order_by(
        "-shared", "position", "id"
    )


def view_for(user: User, pk: int) -> SavedView:
    """One view the person sees; raises SavedView.DoesNotExist otherwise (a 404:
    another person's private view looks like none)."""
    return views_for(user).get(pk=pk)


def may_change(user: User, view: SavedView) -> bool:
    if view.shared:
        return is_supervising(user)
    return view.owner_id == user.pk


def _group(view: SavedView) -> QuerySet[SavedView]:
    """The views ``view`` is ordered among: the team's, or its owner's own."""
    if view.shared:
        return SavedView.objects.filter(shared=True)
    return SavedView.objects.filter(shared=False, owner_id=view.owner_id)


def _clean_name(name: str) -> str:
    name = one_line(name).strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(name) > MAX_NAME:
        raise ValidationError(
            {"name": _("At most %(count)s characters, please.") % {"count": MAX_NAME}}
        )
    return name


def _clean_query(query: str) -> str:
    """The search in its one written form; refused when it does not read."""
    try:
        criteria = from_querystring(query)
    except ValidationError as error:
        raise ValidationError({"query": error.messages}) from None
    return criteria.to_querystring()


def _check_sharing(user: User, shared: bool) -> None:
    if shared and not is_supervising(user):
        raise PermissionDenied(_("Only supervisors and administrators share views."))


def save_view(*, user: User, name: str, query: str, shared: bool = False) -> SavedView:
    """A new view at the end of its group (the team's, or the person's own)."""
    _check_sharing(user, shared)
    view = SavedView(owner=user, name=_clean_name(name), query=_clean_query(query), shared=shared)
    with transaction.atomic():
        last = _group(view).aggregate(last=Max("position"))["last"] or 0
        view.position = last + 1
        view.save()
    return view


def change_view(*, user: User, view: SavedView, name: str, shared: bool) -> SavedView:
    """Rename a view, and share or stop sharing it (supervisors and administrators).

    A view that stops being shared becomes its owner's again (the person's who
    stops sharing it, when the installation made it); either way it moves to the
    end of its new group.
    """
    if not may_change(user, view):
        raise PermissionDenied(_("You may not change this view."))
    _check_sharing(user, shared)
    view.name = _clean_name(name)
    with transaction.atomic():
        if shared != view.shared:
            view.shared = shared
            if not shared and view.owner_id is None:
                view.owner = user
            last = _group(view).exclude(pk=view.pk).aggregate(last=Max("position"))["last"]
            view.position = (last or 0) + 1
        view.save()
    return view


def delete_view(*, user: User, view: SavedView) -> None:
    if not may_change(user, view):
        raise PermissionDenied(_("You may not delete this view."))
    view.delete()


def move_view(*, user: User, view: SavedView, up: bool) -> None:
    """Swap the view with the one before (``up``) or after it in its group.

    The group is locked and numbered afresh, so two people reordering at once
    leave a clean order rather than equal positions.
    """
    if not may_change(user, view):
        raise PermissionDenied(_("You may not reorder this view."))
    with transaction.atomic():
        order = list(_group(view).select_for_update().order_by("position", "id"))
        index = next(i for i, each in enumerate(order) if each.pk == view.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
        for position, each in enumerate(order, start=1):
            if each.position != position:
                each.position = position
                each.save(update_fields=["position"])


# The navigation -----------------------------------------------------------------


@dataclass
class Counted:
    """A view with what the navigation shows of it."""

    view: SavedView
    criteria: Criteria | None
    may_change: bool
    #: Counted up to ``NAV_COUNT_CAP + 1``; None when the search no longer reads.
    counted: int | None = None

    @property
    def count_label(self) -> str:
        if self.counted is None:
            return "–"
        if self.counted > NAV_COUNT_CAP:
            return f"{number_format(NAV_COUNT_CAP, force_grouping=True)}+"
        return number_format(self.counted, force_grouping=True)

    @property
    def broken(self) -> bool:
        return self.criteria is None


def counted_views(user: User) -> list[Counted]:
    """Every view the person sees with its live count, in a fixed number of queries
    however many views there are: the views, the queues and people their searches
    may name (read once, when one names any), and one query counting them all."""
    choices = Choices()
    listed = []
    for view in views_for(user):
        try:
            criteria: Criteria | None = from_querystring(view.query, choices=choices)
        except ValidationError:
            criteria = None
        listed.append(Counted(view, criteria, may_change(user, view)))
    runnable = [each for each in listed if each.criteria is not None]
    counts = queries.count_each_up_to(
        [queries.find_tickets(user, each.criteria) for each in runnable if each.criteria],
        NAV_COUNT_CAP,
    )
    for each, count in zip(runnable, counts, strict=True):
        each.counted = count
    return listed
