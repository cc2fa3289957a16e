"""Forms of the Staff pages: inviting a person, and changing their role, queues
and sign-in. They check input; accounts/staff.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from panel.forms import PanelForm
from tickets.models import Queue

ROLE_CHOICES = [
    (Role.AGENT, _("Agent: answers the tickets assigned to them")),
    (Role.SUPERVISOR, _("Supervisor: also picks up and assigns the tickets of their queues")),
    (Role.ADMIN, _("Administrator: everything, and staff, queues and settings")),
]
LANGUAGE_CHOICES = [("", _("English")), ("de", "Deutsch"), ("ru", "Русский")]


class QueuesField(forms.ModelMultipleChoiceField):
    def __init__(self) -> None:
        super().__init__(
            queryset=Queue.objects.order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Queues"),
            help_text=_(
                "Supervisors see and pick up the unassigned tickets of these queues; "
                "everybody sees the default queue."
            ),
        )


class InviteStaffForm(PanelForm):
    full_name = forms.CharField(max_length=200, label=_("Full name"))
    email = forms.EmailField(label=_("E-mail"), help_text=_("They sign in with it."))
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.AGENT, label=_("Role"))
    queues = QueuesField()
    language = forms.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        label=_("Language"),
        help_text=_("Of the invitation and of the mail they get from the help desk."),
    )


class ChangeStaffForm(PanelForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, label=_("Role"))
    queues = QueuesField()
    is_active = forms.BooleanField(
        required=False,
        label=_("Active"),
        help_text=_("A deactivated person cannot sign in; their tickets stay assigned to them."),
    )
    # The fingerprint of the person as the form showed them (accounts/staff.py).
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)
