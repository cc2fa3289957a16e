"""What the spellcheck remembers: the languages offered, each person's own, the team's words.

A language without a ``SpellingLanguage`` row is offered: a new installation (and a
test database after a flush) offers every language whose dictionary is installed
until an administrator says otherwise.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from spelling.languages import LANGUAGES

#: The longest word the team dictionary keeps (hunspell's own limit is 100 bytes).
WORD_MAX_LENGTH = 60


class SpellingLanguage(models.Model):
    """Whether administrators offer a language in the answer form."""

    code = models.CharField(max_length=5, primary_key=True)
    offered = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__in=list(LANGUAGES)), name="spellinglanguage_code_known"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class SpellingPreference(models.Model):
    """The language a staff member checks in when the customer's gives no hint."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="spelling_preference"
    )
    language = models.CharField(max_length=5)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=list(LANGUAGES)),
                name="spellingpreference_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class TeamWord(models.Model):
    """A word every check accepts, in any language: names, products, the team's jargon."""

    word = models.CharField(_("word"), max_length=WORD_MAX_LENGTH)
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("word")]
        constraints = [
            # "Frontdesk" and "frontdesk" are one word: checks compare without case.
            models.UniqueConstraint(Lower("word"), name="teamword_word_unique"),
            models.CheckConstraint(condition=~models.Q(word=""), name="teamword_word_not_empty"),
        ]

    def __str__(self) -> str:
        return self.word
