"""Articles suggested while a customer writes a new ticket, and what came of it.

The portal's new-ticket form needs two things from here and nothing else:

- its title field carries ``title_field_attrs()``: htmx asks ``kb:suggestions``
  400 ms after the typing stops and puts the partial into ``#suggestions``;
- after it opened the ticket it calls ``ticket_opened(request.session)``.

The session remembers, for one ticket being written, which articles were
suggested and which of them were opened through a suggestion link (its
``?from=suggestion`` marker). Counting is four integer columns on the article,
each bumped once per ticket being written with one UPDATE: nothing grows.
Suggestions are counted as they are shown, so an article that answered the
question, and so no ticket was written, still counts as suggested and opened.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F
from django.urls import reverse_lazy

from kb.models import Article

SESSION_KEY = "kb_suggestions"
#: A pause longer than this starts a new ticket being written (and new counts).
FORGET_AFTER_SECONDS = 3600
#: The marker on a suggestion's link.
MARKER = "suggestion"
#: Bounds what one session keeps.
MAX_REMEMBERED = 50


def title_field_attrs() -> dict[str, Any]:
    """Attributes for the new-ticket form's title widget (``forms.TextInput(attrs=...)``)."""
    return {
        "hx-get": reverse_lazy("kb:suggestions"),
        "hx-trigger": "input changed delay:400ms",
        "hx-target": "#suggestions",
        "hx-swap": "innerHTML",
        # A slow answer to an older title never replaces the newer one's.
        "hx-sync": "this:replace",
        "autocomplete": "off",
    }


def _state(session: SessionBase) -> dict[str, Any]:
    state = session.get(SESSION_KEY)
    now = int(time.time())
    if not isinstance(state, dict) or now - int(state.get("at", 0)) > FORGET_AFTER_SECONDS:
        return {"at": now, "shown": [], "opened": []}
    return state


def _save(session: SessionBase, state: dict[str, Any]) -> None:
    state["at"] = int(time.time())
    session[SESSION_KEY] = state


def _bump(ids: Iterable[int], counter: str) -> None:
    ids = list(ids)
    if ids:
        # One UPDATE, and the database adds: two requests at once lose no count.
        Article.objects.filter(pk__in=ids).update(**{counter: F(counter) + 1})


def shown(session: SessionBase, articles: Iterable[Article]) -> None:
    """Count the articles the first time they are suggested for this ticket."""
    state = _state(session)
    new = [article.pk for article in articles if article.pk not in state["shown"]]
    if not new:
        return  # nothing to write: typing on costs no session save
    state["shown"] = (state["shown"] + new)[-MAX_REMEMBERED:]
    _save(session, state)
    _bump(new, "times_suggested")


def opened(session: SessionBase, article: Article) -> None:
    """A suggestion link was followed: counted once per ticket being written, and only
    for an article that was suggested to this session (a shared link counts nothing)."""
    state = _state(session)
    if article.pk not in state["shown"] or article.pk in state["opened"]:
        return
    state["opened"] = (state["opened"] + [article.pk])[-MAX_REMEMBERED:]
    _save(session, state)
    _bump([article.pk], "times_opened")


def ticket_opened(session: SessionBase) -> None:
    """The customer opened a ticket all the same: count it against what they were
    suggested and opened, then start afresh for the next one."""
    state = _state(session)
    session.pop(SESSION_KEY, None)
    _bump(state["shown"], "tickets_after_suggestion")
    _bump(state["opened"], "tickets_after_opening")
