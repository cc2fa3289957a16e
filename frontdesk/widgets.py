"""Form widgets of every surface (the panel, the portal)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict[str, Any]) -> str:
    """Django's django/forms/widgets/attrs.html in Python: False leaves an attribute
    out, True writes its name alone, anything else name="value", always escaped
    (the template's ``stringformat`` makes every value plain text)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """Django's ``Select``, written out in Python instead of one template per option.

    The template engine renders each ``<option>`` through two included templates;
    with a hundred staff the ticket page's two assignee lists cost more than all
    its queries. The HTML is exactly Django's (tests/panel/test_widgets.py holds
    the two equal).
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>'
        ]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                label = conditional_escape(option["label"])
                # The line break after each option is the end of Django's option template.
                parts.append(
                    f'\n  <option value="{escape(str(option["value"]))}"'
                    f"{_attributes(option['attrs'])}>{label}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
