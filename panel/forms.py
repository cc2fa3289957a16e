"""Forms of the agent panel. They check input; tickets/actions decides."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts import preferences
from accounts.models import Account, AuditCode, User
from accounts.queries import account_for, assignable_staff, email_taken, staff_profiles
from frontdesk.text import restore_controls, visible_controls, without_controls
from frontdesk.widgets import QuickSelect
from panel import pending_uploads
from panel.models import DRAFT_MAX_CHARS, PendingUpload, Theme
from tickets.files import IncomingFile
from tickets.models import HelpdeskSettings, Queue, Status
from tickets.queues import addresses_taken


class StaffChoiceField(forms.ModelChoiceField):
    # A hundred staff are a hundred options: rendered in Python, not by templates.
    widget = QuickSelect

    def label_from_instance(self, obj: Any) -> str:
        return visible_controls(obj.staff.display_name if obj.staff else str(obj))

    def offer(self, including: int | None) -> None:
        """Offer everybody a ticket may be assigned to (and ``including``, its assignee).

        The queryset checks what is posted; the options are read here once, as the
        columns their labels need: on a desk of a hundred staff they are a hundred
        rows on every ticket page, and two hundred model instances cost more than
        the page's other queries together.
        """
        self.queryset = assignable_staff(including)
        self.choices = [("", self.empty_label), *staff_choices(including)]


def staff_choices(including: int | None = None) -> list[tuple[int, str]]:
    """Who a ticket may be assigned to, as (id, display name) pairs for a select: one
    query of three columns instead of a hundred users with their profiles."""
    people = assignable_staff(including).values_list(
        "pk", "staff_profile__full_name", "full_name", "email"
    )
    # StaffProfile.display_name (or, without a profile, str(user)) from three columns.
    return [(pk, visible_controls(shown or name or email)) for pk, shown, name, email in people]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[IncomingFile]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [IncomingFile.from_upload(single(item, initial)) for item in items if item]


def check_sizes(files: list[IncomingFile], limit: int) -> list[IncomingFile]:
    too_big = [upload for upload in files if (upload.size or 0) > limit]
    if too_big:
        raise ValidationError(
            [
                _("%(name)s is %(size)s; the largest attachment accepted is %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                }
                for upload in too_big
            ]
        )
    return files


#: What the person sees when the disk under the attachments is full (answered with 507).
OUT_OF_SPACE = _(
    "The file could not be stored: the server is out of space. Your text is kept: "
    "send it without the file, or try again later."
)


def add_action_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show an action's ValidationError on the form field it names."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = aliases.get(name, name)
        form.add_error(target if target in form.fields else None, messages)


def without_control_characters(form: forms.BaseForm) -> None:
    """Take control characters (but tab and line breaks) out of every posted text field.

    Nobody types them; a NUL is a server error on PostgreSQL and matches every
    title on SQLite. The form then checks, shows and saves the text without them.
    Passwords stay exactly as typed: they are checked against a hash, never stored.
    """
    if not form.is_bound:
        return
    posted: Any = form.data
    data = posted.copy()
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if (
            not isinstance(field, forms.CharField)
            or isinstance(field.widget, forms.PasswordInput)
            or key not in data
        ):
            continue
        if hasattr(data, "setlist"):
            data.setlist(key, [_cleaned(value) for value in data.getlist(key)])
        else:
            data[key] = _cleaned(data[key])
    form.data = data


def _cleaned(value: Any) -> Any:
    return without_controls(value) if isinstance(value, str) else value


class PanelForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        without_control_characters(self)


class PanelModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        without_control_characters(self)


class VersionedForm(PanelForm):
    # The version the person saw; a stale one makes the action raise Conflict.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# The ticket page submits everything through this form; see PropertyForm.
ANSWER_FORM_ID = "answer-form"
# The version the property panel shows; Release, Close, Change and Additional are made on it.
PROPERTIES_VERSION = "properties_version"


class PropertyForm(PanelForm):
    """Controls of the ticket page's property panel.

    They belong to the answer form (HTML's ``form`` attribute) and their buttons
    only change where it is sent (``formaction``): without JavaScript a property
    change carries the answer being typed, and the page that comes back puts it
    back (S19). With htmx the panel alone is swapped and the answer stays as it is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = ANSWER_FORM_ID


class ChangeForm(PropertyForm):
    assignee = StaffChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (unassigned)"),
        label=_("Assignee"),
    )
    status = forms.ChoiceField(choices=Status.choices, label=_("Status"), widget=QuickSelect)
    priority = forms.IntegerField(
        min_value=1, max_value=99, label=_("Priority"), help_text=_("1 to 99; higher first.")
    )
    is_sticky = forms.BooleanField(
        required=False,
        label=_("Sticky"),
        help_text=_("A customer reply keeps the ticket with its assignee."),
    )
    # Not required: a page shown before the person could move the ticket posts no queue,
    # and must meet the conflict its version causes, not a missing field.
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(),
        empty_label=None,
        required=False,
        label=_("Queue"),
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, can_assign: bool, queues: list[Queue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if can_assign:
            self.fields["assignee"].offer(self.initial.get("assignee"))  # type: ignore[attr-defined]
        else:
            del self.fields["assignee"]
        # Only those who may move this ticket see where to (supervisors entitled to its queue).
        if queues:
            field = self.fields["queue"]
            # Checked against these on posting; rendered from the list, with no second query.
            field.queryset = Queue.objects.filter(pk__in=[queue.pk for queue in queues])  # type: ignore[attr-defined]
            field.choices = [(queue.pk, queue.name) for queue in queues]  # type: ignore[attr-defined]
        else:
            del self.fields["queue"]

    def moves_unoffered(self) -> bool:
        """A move posted by somebody who was offered no queues (a forged or outdated form)."""
        if "queue" in self.fields or not self.is_bound:
            return False
        posted = self.data.get(self.add_prefix("queue"))
        return posted not in (None, "", str(self.initial.get("queue")))


class DetailsForm(PropertyForm):
    # No max_length: the field shows direction controls as longer markers; the action
    # checks the length of the title it saves.
    title = forms.CharField(label=_("Title"))
    requester_email = forms.EmailField(label=_("Requester e-mail"))

    def clean_title(self) -> str:
        # The field shows direction controls as markers (panel/views/ticket.py details_form).
        return restore_controls(self.cleaned_data["title"])


class ChooseAccountForm(VersionedForm):
    account = forms.ModelChoiceField(queryset=Account.objects.all())


def split_addresses(text: str) -> list[str]:
    """The addresses typed, separated by commas, semicolons or lines; not checked."""
    addresses = [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",")]
    return [address for address in addresses if address]


def parse_addresses(text: str) -> list[str]:
    addresses = split_addresses(text)
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise ValidationError(
            _("Not an e-mail address: %(addresses)s.") % {"addresses": ", ".join(bad)}
        )
    return addresses


class AnswerForm(VersionedForm):
    assignee = StaffChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (unassigned)"),
        label=_("Assign to"),
    )
    cc = forms.CharField(
        required=False,
        label=_("E-mail CC"),
        help_text=_("Addresses separated by commas; they receive the answer."),
    )
    answer = forms.CharField(
        required=False,
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text=_("Sent to the customer. Shown exactly as typed: HTML stays text."),
    )
    note = forms.CharField(
        required=False,
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
        help_text=_(
            "Only staff see it; a note alone sends nothing and leaves the ticket unanswered."
        ),
    )
    attachments = MultipleFileField(label=_("Attachments"))
    # The assignee the select showed: only a choice that differs from it is a
    # reassignment, so a page left open while somebody else reassigned the
    # ticket does not hand it back when the answer is sent.
    assignee_shown = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, can_assign: bool, max_attachment_size: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_attachment_size = max_attachment_size
        self.fields["attachments"].help_text = _(
            "Several files may be chosen; each up to %(size)s."
        ) % {"size": filesizeformat(max_attachment_size)}
        if can_assign:
            self.fields["assignee"].offer(self.initial.get("assignee"))  # type: ignore[attr-defined]
        else:
            del self.fields["assignee"]

    def clean_cc(self) -> list[str]:
        return parse_addresses(self.cleaned_data["cc"])

    def clean_attachments(self) -> list:
        return check_sizes(self.cleaned_data["attachments"], self.max_attachment_size)

    def reassignment_wanted(self) -> bool:
        data = self.cleaned_data
        if "assignee" not in data:
            return False
        chosen = data["assignee"].pk if data["assignee"] is not None else None
        return chosen != data.get("assignee_shown")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_text = (data.get("answer") or "").strip() or (data.get("note") or "").strip()
        if not has_text and not self.reassignment_wanted() and not self.errors:
            raise ValidationError(_("Write an answer or an internal note."))
        if data.get("attachments") and not has_text:
            self.add_error("attachments", _("Attachments go with an answer or a note."))
        return data


class DraftForm(PanelForm):
    """The answer form's text as it stands, kept exactly as typed (not stripped)."""

    answer = forms.CharField(required=False, strip=False, max_length=DRAFT_MAX_CHARS)
    note = forms.CharField(required=False, strip=False, max_length=DRAFT_MAX_CHARS)
    cc = forms.CharField(required=False, strip=False, max_length=DRAFT_MAX_CHARS)


#: The page's names for the files kept from a refused Make a Ticket, and those to remove.
KEPT_FILES = "kept_attachment"
KEPT_REMOVED = "remove_kept_attachment"


class MakeTicketForm(PanelForm):
    title = forms.CharField(max_length=255, label=_("Title"))
    requester_email = forms.EmailField(
        label=_("Customer e-mail"), help_text=_("Confirmation and answers go to this address.")
    )
    account = forms.CharField(
        required=False,
        label=_("Account"),
        help_text=_(
            "Name or part of it, external id or a contact's e-mail, as Change account on "
            "the ticket page finds it; left empty, the account of the contact with this e-mail."
        ),
    )
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), empty_label=None, label=_("Queue"))
    priority = forms.IntegerField(
        min_value=1, max_value=99, label=_("Priority"), help_text=_("1 to 99; higher first.")
    )
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label=_("Message"))
    attachments = MultipleFileField(label=_("Attachments"))
    no_confirmation = forms.BooleanField(
        required=False, label=_("Send no confirmation to the customer")
    )

    def __init__(
        self, *args: Any, max_attachment_size: int, user: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_attachment_size = max_attachment_size
        self.user = user
        #: Files kept from this form's refused sending (panel/pending_uploads.py), to attach.
        self.kept: list[PendingUpload] = []

    def clean_account(self) -> Account | None:
        text = self.cleaned_data["account"].strip()
        if not text:
            return None
        account, candidates = account_for(text)
        if account is not None:
            return account
        if not candidates:
            raise ValidationError(_("No account has this name, external id or contact e-mail."))
        names = ", ".join(visible_controls(candidate.name) for candidate in candidates)
        raise ValidationError(
            _("Several accounts match: %(names)s. Give more of the name or the external id.")
            % {"names": names}
        )

    def clean_attachments(self) -> list:
        if self.user is not None and hasattr(self.data, "getlist"):
            # The files kept from a refused sending, less those the person removed.
            removed = set(self.data.getlist(KEPT_REMOVED))
            references = [ref for ref in self.data.getlist(KEPT_FILES) if ref not in removed]
            self.kept = pending_uploads.claim(user=self.user, references=references)
            with contextlib.suppress(ValidationError):
                gone = pending_uploads.claim(user=self.user, references=[*removed])
                pending_uploads.discard(gone)
        return check_sizes(self.cleaned_data["attachments"], self.max_attachment_size)


class ReadingForm(PanelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Times in the panel are shown in it; left empty, the help desk's."),
        # About 500 zones: through the templates they were most of My Profile's time.
        widget=QuickSelect,
    )
    newest_first = forms.BooleanField(
        required=False, label=_("Show a ticket's newest message first")
    )

    def __init__(self, *args: Any, desk_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        desk = _("The help desk's (%(zone)s)") % {"zone": desk_zone}
        zones = [(zone, zone) for zone in preferences.time_zones()]
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", desk), *zones]


class ProfileForm(PanelForm):
    full_name = forms.CharField(
        max_length=200,
        label=_("Full name"),
        help_text=_('Shown in answers: "Assigned to: Full Name (description)".'),
    )
    description = forms.CharField(
        max_length=200,
        required=False,
        label=_("Description"),
        help_text=_("For example your position: senior engineer."),
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("You also sign in with it."))
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed to change the address you sign in with."),
    )
    signature = forms.CharField(
        required=False,
        label=_("Signature"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added at the bottom of your answers."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email_taken(email, by_others_than=self.user):
            raise ValidationError(_("Somebody else signs in with this address."))
        return email


class ThemeForm(PanelForm):
    theme = forms.ChoiceField(
        label=_("Theme"),
        choices=Theme.choices,
        widget=forms.RadioSelect,
        help_text=_("The system's follows the light or dark setting of your device."),
    )


class QueueForm(PanelModelForm):
    addresses = forms.CharField(
        required=False,
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mail to these addresses lands in this queue; separate them with commas."),
    )
    escalation_minutes = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Escalation interval (minutes)"),
        help_text=_("How long an unanswered ticket waits before each step."),
    )
    staff = forms.ModelMultipleChoiceField(
        queryset=staff_profiles(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Staff entitled to this queue"),
        help_text=_(
            "Supervisors entitled to a queue see all its tickets and pick up its unassigned ones; "
            "administrators see every queue anyway. Agents see only the tickets assigned to them: "
            "entitling an agent shows them nothing more."
        ),
    )

    field_order = [
        "name",
        "addresses",
        "is_default",
        "new_ticket_response",
        "closed_ticket_response",
        "escalation_step",
        "escalation_minutes",
        "escalation_follows_service_level",
        "escalation_warning_minutes",
        "offered_in_portal",
        "portal_name",
        "staff",
    ]

    class Meta:
        model = Queue
        fields = [
            "name",
            "new_ticket_response",
            "closed_ticket_response",
            "escalation_step",
            "escalation_follows_service_level",
            "escalation_warning_minutes",
            "offered_in_portal",
            "portal_name",
        ]
        labels = {
            "name": _("Name"),
            "new_ticket_response": _("Auto-response to a new ticket"),
            "closed_ticket_response": _("Auto-response when resolved or closed"),
            "escalation_step": _("Escalation step"),
            "escalation_follows_service_level": _("Escalate before a service-level due time"),
            "escalation_warning_minutes": _("Minutes before the due time"),
            "offered_in_portal": _("Offered in the customer portal"),
            "portal_name": _("Name in the portal"),
        }
        widgets = {
            "new_ticket_response": forms.Textarea(attrs={"rows": 4}),
            "closed_ticket_response": forms.Textarea(attrs={"rows": 4}),
        }

    is_default = forms.BooleanField(
        required=False,
        label=_("Default queue"),
        help_text=_("Mail for no particular queue lands here; every supervisor sees it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queue = self.instance
        if queue.pk:
            self.initial.setdefault(
                "addresses", ", ".join(queue.addresses.values_list("email", flat=True))
            )
            self.initial.setdefault("staff", list(queue.staff.all()))
            self.initial.setdefault("is_default", queue.is_default)
            if queue.escalation_interval:
                minutes = int(queue.escalation_interval.total_seconds() // 60)
                self.initial.setdefault("escalation_minutes", minutes)
        # Empty is the default window (an hour).
        self.fields["escalation_warning_minutes"].required = False
        self.fields["staff"].label_from_instance = lambda profile: (  # type: ignore[attr-defined]
            f"{visible_controls(profile.display_name)} ({profile.get_role_display()})"
        )

    def clean_addresses(self) -> list[str]:
        addresses = [address.lower() for address in parse_addresses(self.cleaned_data["addresses"])]
        used = addresses_taken(addresses, by_others_than=self.instance)
        if used:
            raise ValidationError(
                _("Already used by another queue: %(addresses)s.") % {"addresses": ", ".join(used)}
            )
        return addresses

    def clean_is_default(self) -> bool:
        is_default = self.cleaned_data["is_default"]
        if self.instance.is_default and not is_default:
            raise ValidationError(
                _("There must be a default queue: make another queue the default instead.")
            )
        return is_default

    def clean_escalation_warning_minutes(self) -> int:
        minutes = self.cleaned_data.get("escalation_warning_minutes")
        return 60 if minutes is None else minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("escalation_step")
            and not data.get("escalation_minutes")
            and not data.get("escalation_follows_service_level")
        ):
            self.add_error("escalation_minutes", _("An escalation step needs an interval."))
        return data


class DeleteQueueForm(PanelForm):
    tickets = forms.ChoiceField(
        choices=[
            ("move", _("Move its tickets to another queue")),
            ("delete", _("Delete its tickets")),
        ],
        widget=forms.RadioSelect,
        label=_("What happens to its tickets"),
    )
    target = forms.ModelChoiceField(
        queryset=Queue.objects.none(), required=False, label=_("Move them to")
    )

    def __init__(self, *args: Any, queue: Queue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Queue.objects.exclude(pk=queue.pk)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tickets") == "move" and not data.get("target"):
            self.add_error("target", _("Choose the queue that receives the tickets."))
        return data


#: Logo files the portal shows: suffix, the suffix it is stored under, how the file begins.
LOGO_KINDS = {
    ".png": (".png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": (".jpg", b"\xff\xd8\xff"),
    ".jpeg": (".jpg", b"\xff\xd8\xff"),
    ".webp": (".webp", b"RIFF"),
    ".svg": (".svg", b""),
}
LOGO_NAMES = {".png": "PNG", ".jpg": "JPEG", ".webp": "WebP", ".svg": "SVG"}
LOGO_MAX_BYTES = 512 * 1024


def check_logo(upload: Any) -> Any:
    """A PNG, JPEG, WebP or SVG file of at most LOGO_MAX_BYTES, named ``logo.<suffix>``
    (the portal serves it by its suffix, so the content must match it)."""
    name = str(upload.name or "")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in LOGO_KINDS:
        raise ValidationError(_("The logo must be a PNG, JPEG, WebP or SVG file."))
    if (upload.size or 0) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo may be at most %(size)s.") % {"size": filesizeformat(LOGO_MAX_BYTES)}
        )
    canonical, magic = LOGO_KINDS[suffix]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if canonical == ".svg":
        fits = b"<svg" in head.lower()
    elif canonical == ".webp":
        fits = head.startswith(magic) and head[8:12] == b"WEBP"
    else:
        fits = head.startswith(magic)
    if not fits:
        raise ValidationError(
            _("The content of this file is not %(kind)s.") % {"kind": LOGO_NAMES[canonical]}
        )
    upload.name = "logo" + canonical
    return upload


class SettingsForm(PanelModelForm):
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = HelpdeskSettings
        fields = [
            "support_address",
            "latest_tickets_count",
            "auto_close_days",
            "priority_low",
            "priority_normal",
            "priority_high",
            "max_attachment_size",
            "company_name",
            "portal_logo",
            "portal_registration",
            "portal_join_by_domain",
            "answered_stays_open_days",
            "satisfaction_ratings",
            "two_factor_agents",
            "two_factor_supervisors",
            "two_factor_admins",
        ]
        labels = {
            "support_address": _("Main support address"),
            "latest_tickets_count": _("Latest tickets shown on a ticket page"),
            "auto_close_days": _("Auto-close after (days)"),
            "priority_low": _("Portal priority “low”"),
            "priority_normal": _("Portal priority “normal”"),
            "priority_high": _("Portal priority “high”"),
            "max_attachment_size": _("Largest attachment (bytes)"),
            "company_name": _("Company name in the portal"),
            "portal_logo": _("Portal logo"),
            "portal_registration": _("People may register for the portal"),
            "portal_join_by_domain": _("Registered addresses join accounts by domain"),
            "answered_stays_open_days": _("Days a resolved ticket stays under “answered”"),
            "satisfaction_ratings": _("Ask customers to rate the help when a ticket is closed"),
            "two_factor_agents": _("Agents must sign in with two factors"),
            "two_factor_supervisors": _("Supervisors must sign in with two factors"),
            "two_factor_admins": _("Administrators must sign in with two factors"),
        }
        help_texts = {
            "portal_registration": _(
                "With a password of their choice, after verifying their address by a link in "
                "a mail. Off: only contacts you invite, and links in mail."
            ),
            "portal_join_by_domain": _(
                "A verified address that is an account's contact, or of a domain listed on "
                "exactly one account, joins that account and sees all its tickets."
            ),
            "answered_stays_open_days": _(
                "In the customer's list of open tickets, after which it moves to the closed ones."
            ),
            "two_factor_admins": _(
                "Password and the code of an authenticator app. Those without one set it up "
                "at their next step in the panel."
            ),
        }
        widgets = {
            "portal_logo": forms.FileInput(
                attrs={"accept": ".png,.jpg,.jpeg,.webp,.svg,image/png,image/jpeg,image/webp"}
            ),
        }

    field_order = [*Meta.fields[: Meta.fields.index("portal_logo") + 1], "remove_logo"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, not in Meta: a lazy text is put together when it is shown.
        self.fields["portal_logo"].help_text = _(
            "PNG, JPEG, WebP or SVG, at most %(size)s KB; shown small at the top of every "
            "portal page."
        ) % {"size": LOGO_MAX_BYTES // 1024}

    def clean_portal_logo(self) -> Any:
        logo = self.cleaned_data.get("portal_logo")
        # A new upload is checked; the stored logo (nothing uploaded) is kept as it is.
        if logo and "portal_logo" in self.files:
            return check_logo(logo)
        return logo

    def clean_answered_stays_open_days(self) -> int:
        days = self.cleaned_data["answered_stays_open_days"]
        if days > 365:
            raise ValidationError(_("At most 365 days."))
        return days

    def clean_company_name(self) -> str:
        name = self.cleaned_data["company_name"].strip()
        if not name:
            raise ValidationError(_("The portal shows this name at the top of every page."))
        return name

    def save(self, commit: bool = True) -> HelpdeskSettings:
        if self.cleaned_data.get("remove_logo") and "portal_logo" not in self.files:
            self.instance.portal_logo = ""
        return super().save(commit)

    def clean_latest_tickets_count(self) -> int:
        count = self.cleaned_data["latest_tickets_count"]
        if count > 100:
            raise ValidationError(_("Show at most 100 latest tickets."))
        return count

    def clean_auto_close_days(self) -> int:
        days = self.cleaned_data["auto_close_days"]
        if days < -1:
            raise ValidationError(_("Use -1 (never), 0 (when answered) or a number of days."))
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("priority_low", "priority_normal", "priority_high"):
            value = data.get(name)
            if value is not None and not 1 <= value <= 99:
                self.add_error(name, _("Priority is a number from 1 to 99."))
        return data


class ConfirmAppForm(PanelForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("The six digits your authenticator app shows for Frontdesk now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class CurrentPasswordForm(PanelForm):
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AuditFilterForm(PanelForm):
    code = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditCode.choices]
    )
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=254,
        help_text=_("An e-mail address, or part of one: who acted or whom it is about."),
    )
