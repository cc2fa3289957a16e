"""The team's dictionary: words every staff member's check accepts, in every language."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from spelling import text as prose
from spelling.models import WORD_MAX_LENGTH, TeamWord


def team_words() -> frozenset[str]:
    """The team's words, case-folded, as ``checker.check`` takes them."""
    return frozenset(word.casefold() for word in TeamWord.objects.values_list("word", flat=True))


def add_team_word(*, actor: User, word: str) -> TeamWord:
    """Keep ``word`` for the whole team; adding a word that is there already is no error."""
    if actor.staff is None:
        raise PermissionDenied("Only staff add words to the team's dictionary.")
    word = word.strip()
    if len(word) > WORD_MAX_LENGTH or [found.text for found in prose.words(word)] != [word]:
        raise ValidationError(_("Only a single word can be added to the dictionary."))
    same = TeamWord.objects.annotate(folded=Lower("word")).filter(folded=word.lower())
    existing = same.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return TeamWord.objects.create(word=word, added_by=actor)
    except IntegrityError:
        # Somebody added it a moment ago.
        return same.get()
