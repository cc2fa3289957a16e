"""Rating the help from the links of the closing notice (reports/ratings.py); no sign-in."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reports import ratings

_STATUS = {ratings.Refusal.INVALID: 404, ratings.Refusal.EXPIRED: 410, ratings.Refusal.OFF: 410}


class RatingForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("How did we do?"),
        choices=[("good", _("Good")), ("bad", _("Bad"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=ratings.COMMENT_LENGTH,
        widget=forms.Textarea({"rows": 4}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the choice the link made (mail scanners open links); POST saves it."""
    try:
        closing = ratings.closing_of(token)
    except ratings.LinkRefused as refused:
        reason = {"reason": refused.refusal.value}
        return render(
            request, "portal/rating_refused.html", reason, status=_STATUS[refused.refusal]
        )
    earlier = ratings.rating_of(closing)
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            ratings.rate(
                closing=closing,
                good=form.cleaned_data["choice"] == "good",
                comment=form.cleaned_data["comment"],
            )
            return render(request, "portal/rating_saved.html", {"number": closing.number})
    else:
        chosen = request.GET.get("choice")
        initial = {
            "choice": chosen if chosen in ("good", "bad") else None,
            "comment": earlier.comment if earlier is not None else "",
        }
        if initial["choice"] is None and earlier is not None:
            initial["choice"] = "good" if earlier.good else "bad"
        form = RatingForm(initial=initial)
    context: dict[str, object] = {
        "form": form,
        "number": closing.number,
        "token": token,
        "earlier": earlier,
    }
    return render(request, "portal/rating.html", context)
