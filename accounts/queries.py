"""Reads of people and customer accounts that the surfaces need."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.models import Account, Contact, StaffProfile, User
from frontdesk.text import without_controls


def assignable_staff(including: int | None = None) -> QuerySet[User]:
    """Everybody a ticket may be assigned to, and (``including``) its current assignee.

    A deactivated assignee stays a choice, so a form that leaves the assignee
    as it is stays valid.
    """
    may_be_assigned = Q(is_active=True, staff_profile__isnull=False)
    if including is not None:
        may_be_assigned |= Q(pk=including)
    return (
        User.objects.filter(may_be_assigned)
        .select_related("staff_profile")
        .order_by("staff_profile__full_name", "email")
    )


def staff_addresses() -> set[str]:
    """The e-mail address of every staff member, active or not, lower-cased."""
    emails = User.objects.filter(staff_profile__isnull=False).values_list("email", flat=True)
    return {email.lower() for email in emails}


def staff_profiles() -> QuerySet[StaffProfile]:
    """Every staff member, by name (the queue form's entitled staff)."""
    return StaffProfile.objects.select_related("user").order_by("full_name")


def search_accounts(text: str, limit: int) -> QuerySet[Account]:
    """Accounts whose name contains the text, or whose external id or a contact's address is it.

    Control characters are no part of any name: a NUL is an error on PostgreSQL
    and on SQLite it ends the pattern, matching every account.
    """
    text = without_controls(text).strip()
    if not text:
        return Account.objects.none()
    return (
        Account.objects.filter(
            Q(name__icontains=text)
            | Q(external_id__iexact=text)
            | Q(contacts__email__icontains=text)
        )
        .distinct()
        .order_by("name")[:limit]
    )


def accounts_list(text: str) -> QuerySet[Account]:
    """The panel's list of accounts, by name: all of them, or those whose name contains
    the text, or whose external id or a contact's address is it (paged by the caller)."""
    text = without_controls(text).strip()
    accounts = Account.objects.annotate(contact_count=Count("contacts", distinct=True))
    if text:
        matching = Account.objects.filter(
            Q(name__icontains=text)
            | Q(external_id__iexact=text)
            | Q(contacts__email__icontains=text)
        )
        accounts = accounts.filter(pk__in=matching.values("pk"))
    return accounts.order_by("name", "pk")


def contacts_of(account: Account) -> QuerySet[Contact]:
    """The account's contacts with their logins, by address."""
    return Contact.objects.filter(account=account).select_related("user").order_by("email")


def contacts_by_requester(account: Account, requester_email: str) -> list[Contact]:
    """The account's contacts, the ticket's requester first (the one staff most likely
    view as)."""
    contacts = list(contacts_of(account))
    contacts.sort(key=lambda contact: contact.email.lower() != requester_email.lower())
    return contacts


def accounts_named(text: str) -> list[Account]:
    """Up to two accounts with exactly this name (any case) or external id."""
    text = without_controls(text).strip()
    return list(Account.objects.filter(Q(external_id=text) | Q(name__iexact=text))[:2])


# A form's one account field names the candidates when the text finds several.
ACCOUNT_CANDIDATES = 5


def account_for(text: str) -> tuple[Account | None, list[Account]]:
    """The account a form's one account field means, found as the ticket page's
    "Change account" search finds accounts (``search_accounts``).

    An account whose name or external id is exactly the text wins over those that
    only contain it ("Acme" beside "Acme Europe"); otherwise the search must find
    exactly one. Returns the account, or None and the candidates (none, or several).
    """
    exact = accounts_named(text)
    if len(exact) == 1:
        return exact[0], []
    found = list(search_accounts(text, ACCOUNT_CANDIDATES))
    if len(found) == 1:
        return found[0], []
    return None, exact or found


def email_taken(email: str, *, by_others_than: User) -> bool:
    """Does somebody other than this person sign in with the address?"""
    return User.objects.filter(email__same=email.strip()).exclude(pk=by_others_than.pk).exists()
