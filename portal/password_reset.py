"""Password reset by mail, for customers and staff alike.

The page asks for an address and answers the same whether or not anybody
signs in with it: the worker looks the address up and mails the link
(``mail_reset_link``), so the answer neither says nor takes longer. The link is
Django's (``portal:password_reset_confirm``, its default token generator: good
for ``PASSWORD_RESET_TIMEOUT`` seconds and until the password or the last
sign-in changes). A new password signs nobody in: staff with two-factor
sign-in still type their code at the next sign-in.

Who may reset: active people with a password, and customers of no account
without one (made by a link in a mail), who gain nothing their mailbox does not
give them already. A contact whose login has no password yet waits for an
invitation from the support team: a contact sees the whole account's tickets.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import audit
from accounts.models import AuditCode, User
from frontdesk.public_url import absolute
from portal import mails


def may_reset(user: User) -> bool:
    if not user.is_active:
        return False
    return user.has_usable_password() or (user.staff is None and user.contact is None)


def people_for(email: str) -> list[User]:
    return [
        user
        for user in User.objects.filter(email__same=email.strip())
        .select_related("staff_profile", "contact_record")
        .order_by("pk")
        if may_reset(user)
    ]


def link_for(user: User) -> str:
    """The whole address of a link that lets ``user`` choose a password."""
    arguments = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return absolute(reverse("portal:password_reset_confirm", kwargs=arguments))


def mail_reset_link(*, email: str, client_address: str) -> int:
    """The worker's part of a reset request: mail each person of ``email`` a link.
    How many were mailed; each request is in the audit log either way."""
    people = people_for(email)
    for person in people:
        mails.send("password_reset", {"person": person, "link": link_for(person)}, to=person.email)
        audit.record(
            AuditCode.PASSWORD_RESET,
            actor=None,
            person=person,
            detail="reset link mailed",
            client_address=client_address,
        )
    if not people:
        audit.record(
            AuditCode.PASSWORD_RESET,
            actor=None,
            person_email=email,
            detail="reset asked for an address nobody may reset; nothing mailed",
            client_address=client_address,
        )
    return len(people)
