"""Which languages are offered (administrators), each person's default, and the one an
answer starts in: the customer's, when their last message tells, else the person's."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditCode, User
from spelling.checker import guess_language
from spelling.dictionaries import installed
from spelling.languages import LANGUAGES, name_of
from spelling.models import SpellingLanguage, SpellingPreference


def offered_languages() -> list[str]:
    """The codes offered in the answer form, in the menu's order: those administrators
    did not turn off, of the dictionaries installed."""
    off = set(SpellingLanguage.objects.filter(offered=False).values_list("code", flat=True))
    return [code for code in LANGUAGES if code in installed() and code not in off]


def set_offered_languages(*, actor: User, codes: list[str], client_address: str = "") -> None:
    if actor.staff is None or not actor.staff.is_admin:
        raise PermissionDenied("Only administrators choose the languages offered.")
    unknown = [code for code in codes if code not in installed()]
    if unknown:
        raise ValidationError(
            _("No dictionary is installed for %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    if not codes:
        raise ValidationError(_("Offer at least one language."))
    before = offered_languages()
    with transaction.atomic():
        for code in LANGUAGES:
            SpellingLanguage.objects.update_or_create(
                code=code, defaults={"offered": code in codes}
            )
        after = offered_languages()
        if after != before:
            audit.record(
                AuditCode.SETTINGS_CHANGED,
                actor=actor,
                target="spelling languages",
                detail=", ".join(before) + " → " + ", ".join(after),
                client_address=client_address,
            )


def languages_of(user: User) -> tuple[list[str], str]:
    """The languages offered and the person's default among them, in one query (the
    ticket page asks on every view): the codes turned off, and the person's own."""
    off = SpellingLanguage.objects.filter(offered=False).values_list("code", Value("off"))
    own = SpellingPreference.objects.filter(user=user).values_list("language", Value("own"))
    rows = list(off.union(own, all=True))
    turned_off = {code for code, kind in rows if kind == "off"}
    offered = [code for code in LANGUAGES if code in installed() and code not in turned_off]
    chosen = next((code for code, kind in rows if kind == "own"), None)
    if chosen in offered:
        return offered, str(chosen)
    return offered, offered[0] if offered else next(iter(LANGUAGES))


def default_language(user: User) -> str:
    """The person's chosen language while it is offered, else the first offered."""
    return languages_of(user)[1]


def set_default_language(*, user: User, code: str) -> None:
    if user.staff is None:
        raise PermissionDenied("Only staff check answers.")
    if code not in offered_languages():
        raise ValidationError(_("This language is not offered."))
    SpellingPreference.objects.update_or_create(user=user, defaults={"language": code})


@dataclass(frozen=True)
class AnswerLanguages:
    """The languages of an answer's menu, the one chosen, and the customer's if known."""

    offered: list[tuple[str, str]]
    chosen: str
    customers: str | None


def for_answer(user: User, customer_text: str) -> AnswerLanguages:
    offered, default = languages_of(user)
    customers = guess_language(customer_text, offered) if customer_text else None
    return AnswerLanguages(
        offered=[(code, name_of(code)) for code in offered],
        chosen=customers or default,
        customers=customers,
    )
