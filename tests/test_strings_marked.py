"""Every word a template shows is marked for translation, so a translator's
catalogue can reach all of it and a new template cannot forget: the panel's
(English for now, marked for its translators), the portal's, the knowledge
base's, the sign-in pages' and the mail to customers (German and Russian).

Each template is read with Django's own lexer. The text outside ``{% translate %}``
and ``{% blocktranslate %}`` is put back together with the HTML it sits in (every
template tag dropped, every variable a neutral mark), and an HTML parser reads
what a person sees or hears: the text of elements and the attributes browsers
show or read out. Letters there are English that no catalogue can translate.
Variables may not bring English of their own either: a literal argument of
``default`` or ``yesno`` needs ``_("…")``, and ``pluralize`` knows English only.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template import engines
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
#: Every app's templates that people read: pages and mail.
APPS = ("panel", "portal", "kb", "frontdesk", "mail", "notifications")

#: Words that are the same in every language: the product's name, and the "Re:"
#: of a reply's subject, which mail programs everywhere recognise.
UNTRANSLATED = re.compile(r"\bFrontdesk\b|^Re:")
#: Attributes a person sees (a tooltip, a placeholder, an image's text) or hears.
SHOWN_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label"})
#: Elements whose content is code, a command or an address, or a key to press (a
#: shortcut's letter is the same in every language): never translated.
CODE_ELEMENTS = frozenset({"code", "script", "style", "kbd"})
#: Filters whose literal argument is shown as it is.
TEXT_FILTERS = frozenset({"default", "default_if_none", "yesno"})
#: Filters that make English words of their own.
ENGLISH_FILTERS = frozenset({"pluralize"})
#: A filter's literal argument that is no word: a path or a language code.
CODE_ARGUMENT = re.compile(r"""^["'](/[\w/.-]*|[a-z]{2})["']$""")

LETTER = re.compile(r"[^\W\d_]")
VARIABLE = "\x00"
FILTER = re.compile(
    r"""\|\s*(?P<name>\w+)(?::(?P<argument>_\("[^"]*"\)|_\('[^']*'\)|"[^"]*"|'[^']*'|[\w.]+))?"""
)
OPENING = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
OPENING |= {"comment": "endcomment"}


def has_words(text: str) -> bool:
    return bool(LETTER.search(UNTRANSLATED.sub("", text)))


class ShownText(HTMLParser):
    """What a person sees or hears of a page, where it has letters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_code = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        if tag in CODE_ELEMENTS:
            self.in_code += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and has_words(value):
                self.found.append(f'<{tag} {name}="{value.replace(VARIABLE, "{{…}}")}">')

    def handle_endtag(self, tag: str) -> None:
        if tag in CODE_ELEMENTS and self.in_code:
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self.in_code and has_words(data):
            self.found.append(" ".join(data.replace(VARIABLE, "{{…}}").split()))


def english_in_tag(contents: str) -> list[str]:
    """Filters of a variable or tag that show English no catalogue reaches."""
    found = []
    for match in FILTER.finditer(contents):
        name, argument = match["name"], match["argument"] or ""
        if name in ENGLISH_FILTERS:
            found.append(f"{{{{ {contents} }}}}: {name} is English only, use blocktranslate count")
        elif (
            name in TEXT_FILTERS
            and argument[:1] in "\"'"
            and has_words(argument)
            and not CODE_ARGUMENT.match(argument)
        ):
            found.append(f"{{{{ {contents} }}}}: write {name}:_({argument})")
    return found


def untranslated(source: str) -> list[str]:
    """The English of a template that is outside every translation tag."""
    page, found = [], []
    closing: list[str] = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.COMMENT:
            continue
        if token.token_type in (TokenType.VAR, TokenType.BLOCK):
            found += english_in_tag(token.contents)
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if closing and name == closing[-1]:
                closing.pop()
            elif name in OPENING:
                closing.append(OPENING[name])
            elif name == "block" and token.contents.endswith("_class"):
                closing.append("endblock")  # a class attribute's value, not text
            continue
        if closing:
            continue  # translated text (or a comment), variables and all
        page.append(VARIABLE if token.token_type == TokenType.VAR else token.contents)
    parser = ShownText()
    parser.feed("".join(page))
    parser.close()
    return found + parser.found


def shown_templates() -> list[Path]:
    found: list[Path] = []
    for app in APPS:
        folder = ROOT / app / "templates"
        found += sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt"))
    return found


def template_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def template_name(path: Path) -> str:
    return str(path.relative_to(path.parents[len(path.relative_to(ROOT).parts) - 3]))


@pytest.mark.parametrize("path", shown_templates(), ids=template_id)
def test_a_template_shows_no_english_outside_a_translation_tag(path):
    assert untranslated(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", shown_templates(), ids=template_id)
def test_a_template_loads_what_its_translation_tags_need(path):
    # A template no test renders would otherwise fail only in front of a person.
    engines["django"].get_template(template_name(path))


def test_every_app_has_templates_to_check():
    shown = shown_templates()
    assert len(shown) > 80
    for app in APPS:
        assert any(path.is_relative_to(ROOT / app) for path in shown), app


# The check itself catches what it must --------------------------------------------


def test_it_finds_text_outside_a_translation_tag():
    assert untranslated("<p>Hello {{ name }}</p>") == ["Hello {{…}}"]


def test_it_finds_text_between_template_tags():
    source = '{% if a %}<p>{% translate "Open" %}</p>{% else %}closed{% endif %}'
    assert untranslated(source) == ["closed"]


def test_it_finds_attributes_a_person_sees_or_hears():
    source = '<button aria-label="Reset {{ email }}" class="link danger" id="reset-x">'
    assert untranslated(source) == ['<button aria-label="Reset {{…}}">']
    assert untranslated('<img alt="{% translate "Logo" %}" src="/logo">') == []


def test_it_accepts_translated_text_with_markup_and_variables():
    source = (
        "{% load i18n %}<p>{% blocktranslate trimmed with name=user.name %}\n"
        "  Hello <strong>{{ name }}</strong>, welcome.\n"
        "{% endblocktranslate %}</p>"
    )
    assert untranslated(source) == []


def test_it_accepts_the_product_name_punctuation_and_code():
    source = "<title>{% block title %}{% endblock %} · Frontdesk</title> #{{ n }} — "
    source += '<code>frontdesk worker</code> <span aria-hidden="true">▲</span>'
    assert untranslated(source) == []


def test_it_finds_english_in_filter_arguments_and_pluralize():
    assert untranslated('{{ sender|default:"(none)" }}') == [
        '{{ sender|default:"(none)" }}: write default:_("(none)")'
    ]
    assert untranslated('{{ sender|default:_("(none)")|truncatechars:120 }}') == []
    assert untranslated('{{ name|default:"—" }} {{ at|date:"Y-m-d H:i" }}') == []
    assert untranslated("{{ count }} time{{ count|pluralize }}") == [
        "{{ count|pluralize }}: pluralize is English only, use blocktranslate count",
        "{{…}} time{{…}}",
    ]


def test_it_accepts_paths_codes_class_blocks_and_a_reply_subject():
    source = "<html lang=\"{{ LANGUAGE_CODE|default:'en' }}\">{{ home|default:'/kb/' }}"
    source += "{% block main_class %}sign-in{% endblock %}"
    assert untranslated(source) == []
    assert untranslated("Re: {{ title }}") == []
    assert untranslated("Answered: {{ title }}") == ["Answered: {{…}}"]


def test_it_ignores_comments():
    assert untranslated("{# Says why #}{% comment %}Not shown{% endcomment %}") == []
