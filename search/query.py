"""What a person typed into a search box, made into terms of folded words.

The syntax people know from web search engines, and nothing else:

- ``word``: every word must match; a word of three letters or more also matches
  as the start of a longer one, so ``rechnung`` finds "Rechnungsadresse" and
  ``mail`` finds "mailbox" (German and Dutch write compounds as one word; the
  end of a compound, ``adresse``, is not found, which a person tries next);
  a number matches only itself (``404`` does not find "4040");
- ``word*``: a prefix of any length from two characters;
- ``"double charge"``: these words one after another (an unbalanced quote
  runs to the end);
- ``-word``, ``-"a phrase"``: tickets with it are left out;
- anything with punctuation inside (``anna@example.com``, ``INV-2024-17``) is
  the phrase of its words.

Nothing typed ever reaches a database as syntax: the backends build their
expressions from the folded tokens alone, each one quoted. Text beyond
``MAX_TEXT`` characters, terms beyond ``MAX_TERMS`` and characters of a term
beyond ``MAX_TERM_LENGTH`` are dropped (``truncated`` says so). A query of
nothing but exclusions, or of no words at all, is empty: it is falsy and
matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdesk.text import one_line
from search.text import query_groups

MAX_TEXT = 1000
MAX_TERMS = 16
MAX_TERM_LENGTH = 100
#: Implicit prefixes start at this many characters: "mail" finds "mailbox", "ab" only "ab".
IMPLICIT_PREFIX_FROM = 3
#: ``x*`` is a prefix from two characters; "a*" would read half the index for nothing.
EXPLICIT_PREFIX_FROM = 2

# Typographic quotes („double charge“, «double charge») are quotes too.
_QUOTES = str.maketrans(dict.fromkeys("„“”«»「」『』＂", '"'))
_PIECES = re.compile(r'(?P<minus>-*)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Term:
    """Folded tokens that must stand together; one token is a word."""

    tokens: tuple[str, ...]
    #: the last token also matches longer words that start with it
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """What a person typed, made safe: every part is folded words, never syntax."""

    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    #: the text was longer, or had more terms, than a search takes
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def tokens(self) -> frozenset[str]:
        """Every token the query looks for (snippets mark them)."""
        return frozenset(token for term in self.terms for token in term.tokens)


def parse(text: str) -> SearchQuery:
    """The terms of what a person typed; never raises, whatever the text."""
    text = one_line(text).translate(_QUOTES)
    truncated = len(text) > MAX_TEXT
    terms: list[Term] = []
    excluded: list[Term] = []
    for piece in _PIECES.finditer(text[:MAX_TEXT]):
        quoted = piece.group("phrase") is not None
        raw = piece.group("phrase") if quoted else piece.group("word")
        if len(raw) > MAX_TERM_LENGTH:
            raw, truncated = raw[:MAX_TERM_LENGTH], True
        star = not quoted and raw.endswith("*")
        found = _terms(raw, quoted=quoted, star=star)
        target = excluded if piece.group("minus") and found else terms
        room = MAX_TERMS - len(terms) - len(excluded)
        if len(found) > room:
            found, truncated = found[: max(room, 0)], True
        target.extend(term for term in found if term not in target)
    return SearchQuery(terms=tuple(terms), excluded=tuple(excluded), truncated=truncated)


def _terms(raw: str, *, quoted: bool, star: bool) -> list[Term]:
    terms = []
    for tokens, cjk in query_groups(raw):
        last = tokens[-1]
        if cjk:
            # A lone character starts one of the index's pairs (or stands alone).
            prefix = len(last) == 1
        elif star:
            prefix = len(last) >= EXPLICIT_PREFIX_FROM
        else:
            prefix = not quoted and len(last) >= IMPLICIT_PREFIX_FROM and not last.isdigit()
        terms.append(Term(tokens, prefix))
    return terms
