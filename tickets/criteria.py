"""What an advanced search asks for (S22), as a value: parsed from a query string,
written back to one.

A search is a URL: the advanced search page, a bookmark, a saved view and a mass
action over "all results" all hold the same query string, and
``tickets.queries.find_tickets(user, criteria)`` turns it into tickets as that
person sees them. ``CriteriaForm`` is the one parser: people get a message on the
field they typed wrong (a priority that is no number, an unknown queue, a date
out of range, far too much text), never a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from frontdesk.text import one_line
from search import api as search
from tickets.models import Queue, Status, TicketType

#: Orderings a search may be sorted by ("-" first: descending). ``rank`` (best match
#: first) only means something with words to look for; without them it is newest first.
SORT_KEYS = (
    "rank",
    "number",
    "title",
    "priority",
    "created",
    "modified",
    "type",
    "status",
    "due",
)
#: With words the best matches come first, otherwise the newest tickets.
DEFAULT_SORT_WITH_TEXT = "rank"
DEFAULT_SORT = "-created"

NOBODY, ME = "nobody", "me"
YES, NO = "yes", "no"
#: Service levels (sla/): a due time passed already, or within ``BREACHING_SOON``
#: (breached ones too); the stored ``next_due_at`` is what is asked.
BREACHED, DUE_SOON = "breached", "soon"
BREACHING_SOON = timedelta(hours=2)

# Far beyond anything typed into a search box, and small enough to refuse a
# pasted document with a message instead of searching for it.
MAX_TEXT = 500
# Dates a person may mean; beyond them a date is a typing error, and near the ends
# of the calendar turning a day into a time in a time zone would overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9998, 12, 31)
MAX_NUMBER = 10**18 - 1


@dataclass(frozen=True)
class Criteria:
    """Every S22 criterion; the defaults ask for nothing (every working ticket)."""

    number: int | None = None
    text: str = ""
    #: An address (requester or CC) or ``@domain`` (requesters of that domain).
    email: str = ""
    #: An account's exact name (any case) or external id.
    account: str = ""
    queues: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    #: Resolved and closed tickets too, when no status is chosen (S4: found by search).
    include_closed: bool = False
    types: tuple[str, ...] = ()
    priority_min: int | None = None
    priority_max: int | None = None
    #: "" anybody, ``NOBODY``, ``ME`` (whoever runs the search), or a person's id.
    assignee: str = ""
    answered: bool | None = None
    sticky: bool | None = None
    created_from: date | None = None
    created_to: date | None = None
    modified_from: date | None = None
    modified_to: date | None = None
    #: "", ``BREACHED`` or ``DUE_SOON``: by the next service-level due time.
    due: str = ""
    #: One of ``SORT_KEYS``, maybe with "-"; "" is the default (see ``ordering``).
    sort: str = ""

    @property
    def ordering(self) -> str:
        """The sort in effect: the chosen one, else best match first with words, else newest."""
        if self.sort.lstrip("-") == "rank" and not self.text:
            return DEFAULT_SORT
        if self.sort:
            return self.sort
        return DEFAULT_SORT_WITH_TEXT if self.text else DEFAULT_SORT

    def to_querystring(self) -> str:
        """The query string that ``from_querystring`` reads back to these criteria:
        the same criteria always give the same string, and defaults are left out."""
        return urlencode(self._pairs())

    def _pairs(self) -> list[tuple[str, str]]:
        single: list[tuple[str, object]] = [
            ("number", self.number),
            ("text", self.text),
            ("email", self.email),
            ("account", self.account),
        ]
        several = [("queue", str(queue)) for queue in self.queues]
        several += [("status", status) for status in self.statuses]
        several += [("closed", "1")] if self.include_closed else []
        several += [("type", kind) for kind in self.types]
        rest: list[tuple[str, object]] = [
            ("priority_min", self.priority_min),
            ("priority_max", self.priority_max),
            ("assignee", self.assignee),
            ("answered", _yes_no(self.answered)),
            ("sticky", _yes_no(self.sticky)),
            ("created_from", self.created_from),
            ("created_to", self.created_to),
            ("modified_from", self.modified_from),
            ("modified_to", self.modified_to),
            ("due", self.due),
            ("sort", self.sort),
        ]
        return [*_written(single), *several, *_written(rest)]

    def with_sort(self, sort: str) -> Criteria:
        return replace(self, sort=sort)


def _written(pairs: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """The pairs with a value, as text (dates in ISO 8601, as a date field reads them)."""
    return [
        (key, value.isoformat() if isinstance(value, date) else str(value))
        for key, value in pairs
        if value not in (None, "")
    ]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _from_yes_no(value: str) -> bool | None:
    return None if not value else value == YES


class Choices:
    """The queues and people a search may name, read once however many searches are
    parsed with them (the panel's navigation parses every saved view), and only when
    asked for."""

    @cached_property
    def queues(self) -> list[Queue]:
        return list(Queue.objects.order_by("name"))

    @cached_property
    def staff(self) -> list[User]:
        """Every staff member, the deactivated too: a saved "Assigned to Alex" keeps
        working after Alex leaves (the form offers only active people, and the chosen)."""
        return list(
            User.objects.filter(staff_profile__isnull=False)
            .select_related("staff_profile")
            .order_by("staff_profile__full_name", "email")
        )


def _sort_choices() -> list[tuple[str, str]]:
    labels = {
        "rank": _("Best match"),
        "number": _("Number"),
        "title": _("Title"),
        "priority": _("Priority"),
        "created": _("Created"),
        "modified": _("Last modified"),
        "type": _("Type"),
        "status": _("Status"),
        "due": _("Next due time"),
    }
    choices = [("", str(_("Best match, or newest")))]
    for key in SORT_KEYS:
        choices.append((key, str(labels[key])))
        if key != "rank":  # the best match is first, or it is no best match
            choices.append((f"-{key}", str(_("%(key)s, descending") % {"key": labels[key]})))
    return choices


YES_NO_CHOICES = [("", _("Either")), (YES, _("Yes")), (NO, _("No"))]


class SearchText(forms.CharField):
    """Text as a search reads it: on one line, without control characters (a NUL is
    an error on PostgreSQL and ends a LIKE pattern on SQLite)."""

    def to_python(self, value: Any) -> str:
        return one_line(super().to_python(value) or "").strip()


class Several(forms.MultipleChoiceField):
    """Checkboxes: an empty value in a hand-made URL (``status=``) is none chosen."""

    def to_python(self, value: Any) -> list[str]:
        return [each for each in super().to_python(value) if each != ""]


class SeveralQueues(forms.TypedMultipleChoiceField):
    def to_python(self, value: Any) -> list[str]:
        return [each for each in super().to_python(value) if each != ""]


class AssigneeField(forms.ChoiceField):
    """Anybody, nobody, me or a person: only a person's id is looked up."""

    def valid_value(self, value: Any) -> bool:
        return value in ("", NOBODY, ME) or super().valid_value(value)


class CriteriaForm(forms.Form):
    """Reads ``Criteria`` from a query string; its fields are the query-string keys.

    ``choices`` may be shared by many forms; ``strict`` also checks that a named
    account exists (a person typing wants to hear of a typo; a saved view naming an
    account that was renamed finds nothing instead).
    """

    number = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_NUMBER, label=_("Ticket number")
    )
    text = SearchText(
        required=False,
        max_length=MAX_TEXT,
        label=_("Words"),
        help_text=_(
            'In titles, messages, notes, addresses and names. "A phrase", prefix*, -leave-out.'
        ),
    )
    email = SearchText(
        required=False,
        max_length=255,
        label=_("E-mail"),
        help_text=_("An address (requester or CC), or @example.com for a whole domain."),
    )
    account = SearchText(
        required=False,
        max_length=200,
        label=_("Account"),
        help_text=_("Its name or external id."),
    )
    queue = SeveralQueues(
        required=False, coerce=int, label=_("Queue"), widget=forms.CheckboxSelectMultiple
    )
    status = Several(
        required=False,
        choices=Status.choices,
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the working statuses."),
    )
    closed = forms.BooleanField(required=False, label=_("Include resolved and closed tickets"))
    type = Several(
        required=False,
        choices=TicketType.choices,
        label=_("Type"),
        widget=forms.CheckboxSelectMultiple,
    )
    priority_min = forms.IntegerField(
        required=False, min_value=1, max_value=99, label=_("Priority from")
    )
    priority_max = forms.IntegerField(
        required=False, min_value=1, max_value=99, label=_("Priority to")
    )
    assignee = AssigneeField(required=False, label=_("Assignee"))
    answered = forms.ChoiceField(required=False, choices=YES_NO_CHOICES, label=_("Answered"))
    sticky = forms.ChoiceField(required=False, choices=YES_NO_CHOICES, label=_("Sticky"))
    created_from = forms.DateField(required=False, label=_("Created from"))
    created_to = forms.DateField(required=False, label=_("Created until"))
    modified_from = forms.DateField(required=False, label=_("Modified from"))
    modified_to = forms.DateField(required=False, label=_("Modified until"))
    due = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("Any")),
            (DUE_SOON, _("Breached or due within two hours")),
            (BREACHED, _("Breached")),
        ],
        label=_("Service level"),
    )
    sort = forms.ChoiceField(required=False, label=_("Sort by"))

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        choices: Choices | None = None,
        strict: bool = True,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.choices = choices or Choices()
        self.strict = strict
        # Choices are callables: read from the database only when the form is
        # rendered or a queue or assignee is posted.
        queue_field = self.fields["queue"]
        assert isinstance(queue_field, forms.ChoiceField)
        queue_field.choices = lambda: [(queue.pk, queue.name) for queue in self.choices.queues]
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.ChoiceField)
        assignee_field.choices = self._assignee_choices
        sort_field = self.fields["sort"]
        assert isinstance(sort_field, forms.ChoiceField)
        sort_field.choices = _sort_choices
        for name in ("created_from", "created_to", "modified_from", "modified_to"):
            field = self.fields[name]
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.validators += [
                MinValueValidator(EARLIEST_DATE),
                MaxValueValidator(LATEST_DATE),
            ]

    def _assignee_choices(self) -> list[tuple[str, str]]:
        chosen = self.data.get(self.add_prefix("assignee")) if self.is_bound else None
        people = [
            (str(person.pk), person.staff.display_name if person.staff else str(person))
            for person in self.choices.staff
            if person.is_active or str(person.pk) == chosen
        ]
        return [
            ("", str(_("Anybody"))),
            (NOBODY, str(_("Nobody (unassigned)"))),
            (ME, str(_("Me"))),
            *people,
        ]

    def clean_email(self) -> str:
        address: str = self.cleaned_data["email"].lower()
        if not address:
            return ""
        try:
            # "@example.com" is a domain: checked as the domain of an address.
            validate_email(f"someone{address}" if address.startswith("@") else address)
        except ValidationError:
            raise ValidationError(
                _("Type an e-mail address, or @ and a domain such as @example.com."),
                code="invalid",
            ) from None
        return address

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if text and not search.parse(text):
            raise ValidationError(
                _("Nothing to search for: give at least one word that is not left out (-word)."),
                code="empty",
            )
        return text

    def clean_account(self) -> str:
        name: str = self.cleaned_data["account"]
        if name and self.strict and not accounts_called(name).exists():
            raise ValidationError(
                _("No account has the name or external id “%(name)s”."),
                code="unknown",
                params={"name": name},
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for low, high, message in (
            ("priority_min", "priority_max", _("The lowest priority is above the highest.")),
            ("created_from", "created_to", _("The first day is after the last day.")),
            ("modified_from", "modified_to", _("The first day is after the last day.")),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, message)
        return data

    @property
    def criteria(self) -> Criteria:
        """The criteria of a valid form."""
        data = self.cleaned_data
        statuses = set(data["status"])
        types = set(data["type"])
        return Criteria(
            number=data["number"],
            text=data["text"],
            email=data["email"],
            account=data["account"],
            queues=tuple(sorted(set(data["queue"]))),
            statuses=tuple(value for value in Status.values if value in statuses),
            include_closed=data["closed"],
            types=tuple(value for value in TicketType.values if value in types),
            priority_min=data["priority_min"],
            priority_max=data["priority_max"],
            assignee=data["assignee"],
            answered=_from_yes_no(data["answered"]),
            sticky=_from_yes_no(data["sticky"]),
            created_from=data["created_from"],
            created_to=data["created_to"],
            modified_from=data["modified_from"],
            modified_to=data["modified_to"],
            due=data["due"],
            sort=data["sort"],
        )


def accounts_called(name: str) -> QuerySet[Account]:
    """The accounts a search's ``account`` names: by exact name (any case) or external id.
    Names are not unique; every account of the name counts."""
    return Account.objects.filter(Q(name__iexact=name) | Q(external_id=name))


def form_for(
    query: str | Mapping[str, Any], *, choices: Choices | None = None, strict: bool = True
) -> CriteriaForm:
    """A bound form of a query string (or a request's ``GET``)."""
    data = QueryDict(query) if isinstance(query, str) else query
    return CriteriaForm(data, choices=choices, strict=strict)


def from_querystring(
    query: str, *, choices: Choices | None = None, strict: bool = False
) -> Criteria:
    """The criteria of a stored query string (a saved view, a mass action's search);
    raises ``ValidationError`` with the form's messages when it no longer reads."""
    form = form_for(query, choices=choices, strict=strict)
    if not form.is_valid():
        raise ValidationError(
            [message for messages in form.errors.values() for message in messages]
        )
    return form.criteria
