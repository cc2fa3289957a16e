"""Forms of the panel's knowledge base pages (S37). They check input; kb/articles.py decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kb import queries
from kb.models import ArticleStatus, Category, Visibility
from panel.forms import PanelForm


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ArticleForm(PanelForm):
    title = forms.CharField(max_length=200, label=_("Title"))
    category = CategoryChoiceField(
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("No category"),
        label=_("Category"),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
        label=_("Visibility"),
        help_text=_("Internal articles are never shown in the portal, nor linked in answers."),
    )
    body = forms.CharField(
        required=False,
        strip=False,
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true", "class": "markdown"}),
        help_text=_(
            "Markdown: **bold**, *italic*, # headings, - lists, [text](https://…), "
            "`code`. HTML is shown as text; links go to http, https and mailto only."
        ),
    )
    # The version the form was made from; an older one than the article's is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories()  # type: ignore[attr-defined]


class CategoryForm(PanelForm):
    name = forms.CharField(max_length=100, label=_("Name"))
    slug = forms.CharField(
        max_length=80,
        required=False,
        label=_("Address"),
        help_text=_("The last part of the category's public address; empty: made from the name."),
    )
    order = forms.IntegerField(
        min_value=0, initial=0, label=_("Order"), help_text=_("Smaller numbers come first.")
    )
    description = forms.CharField(max_length=300, required=False, label=_("Description"))


class ArticleFilterForm(forms.Form):
    """The list's search and filters (GET); an unknown value filters nothing."""

    q = forms.CharField(required=False, label=_("Search articles"))
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("Any status")), *ArticleStatus.choices],
    )
    visibility = forms.ChoiceField(
        required=False,
        label=_("Visibility"),
        choices=[
            ("", _("Public and internal")),
            (Visibility.PUBLIC, _("Public")),
            (Visibility.INTERNAL, _("Internal")),
        ],
    )
    category = CategoryChoiceField(
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Every category"),
        label=_("Category"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories()  # type: ignore[attr-defined]

    def wanted(self) -> queries.StaffFilter:
        if not self.is_valid():
            return queries.StaffFilter(text=str(self.data.get("q", "")))
        data = self.cleaned_data
        chosen = data.get("category")
        return queries.StaffFilter(
            text=data.get("q") or "",
            status=data.get("status") or "",
            visibility=data.get("visibility") or "",
            category=chosen.pk if chosen is not None else None,
        )
