"""Forms of the panel's customer records (S18, S46): accounts and their contacts."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from panel.forms import PanelModelForm

_SEPARATORS = re.compile(r"[\s,;]+")
_domain = DomainNameValidator(accept_idna=False)


def clean_domains(text: str) -> str:
    """Domains typed with commas or spaces between them, as "example.com, example.org":
    lower-case, each once."""
    domains = list(dict.fromkeys(part.lower() for part in _SEPARATORS.split(text) if part))
    wrong = []
    for domain in domains:
        try:
            _domain(domain)
        except ValidationError:
            wrong.append(domain)
    if wrong:
        raise ValidationError(_("Not a domain name: %(domains)s.") % {"domains": ", ".join(wrong)})
    return ", ".join(domains)


class AccountForm(PanelModelForm):
    class Meta:
        model = Account
        fields = ["name", "external_id", "email_domains", "notes"]
        labels = {
            "name": _("Name"),
            "external_id": _("External id"),
            "email_domains": _("E-mail domains"),
            "notes": _("Notes"),
        }
        help_texts = {
            "email_domains": _("The account's own domains, e.g. example.com, example.org."),
            "notes": _("For staff only; customers never see it."),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("An account needs a name."))
        return name

    def clean_external_id(self) -> str:
        external_id: str = self.cleaned_data["external_id"].strip()
        taken = Account.objects.filter(external_id=external_id).exclude(pk=self.instance.pk)
        if external_id and taken.exists():
            raise ValidationError(
                _("%(name)s has this external id already.") % {"name": taken.get().name}
            )
        return external_id

    def clean_email_domains(self) -> str:
        return clean_domains(self.cleaned_data["email_domains"])


class ContactForm(PanelModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email"]
        labels = {"name": _("Name"), "email": _("E-mail address")}
        help_texts = {"email": _("A contact with a portal login signs in with it.")}

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        taken = (
            Contact.objects.filter(email__same=email)
            .exclude(pk=self.instance.pk)
            .select_related("account")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                _("%(email)s is a contact of %(account)s already.")
                % {"email": email, "account": taken.account.name}
            )
        return email
