"""The help desk's PGP key (S35), for administrators: install or replace it, remove
retired keys. The private key and its passphrase are never shown back: the form
always comes back empty, and the page lists fingerprints only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import audit
from crypto import keys
from crypto.models import PrivateKey
from panel.auth import StaffRequest, admin_required
from panel.forms import PanelForm


class NeverShown(forms.Textarea):
    """A text area that never renders its value: a refused key is not sent back."""

    def format_value(self, value: object) -> None:
        return None


class KeyForm(PanelForm):
    key = forms.CharField(
        label=gettext_lazy("Private key (armored)"),
        widget=NeverShown(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        max_length=keys.MAX_KEY_CHARS,
        strip=False,
        help_text=gettext_lazy("Begins with -----BEGIN PGP PRIVATE KEY BLOCK-----."),
    )
    passphrase = forms.CharField(
        label=gettext_lazy("Passphrase"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        max_length=keys.MAX_PASSPHRASE_CHARS,
        required=False,
        strip=False,
        help_text=gettext_lazy("Leave empty if the key has none."),
    )


@sensitive_post_parameters("key", "passphrase")
@never_cache
@admin_required
def key_page(request: StaffRequest) -> HttpResponse:
    form = KeyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                keys.install(
                    actor=request.user,
                    armored=form.cleaned_data["key"],
                    passphrase=form.cleaned_data["passphrase"],
                    client_address=audit.address_of(request),
                )
            except ValidationError as refusal:
                for field, errors in refusal.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("The key is installed; customers now encrypt to it."))
                return redirect("panel:encryption_keys")
        status = 422
    return render(
        request,
        "panel/encryption_keys.html",
        {"form": form, "keys": keys.all_keys()},
        status=status,
    )


@require_POST
@admin_required
def remove_key(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        keys.remove(actor=request.user, pk=pk, client_address=audit.address_of(request))
    except PrivateKey.DoesNotExist:
        raise Http404("No such key.") from None
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The retired key is removed."))
    return redirect("panel:encryption_keys")
