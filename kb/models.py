"""The knowledge base (S37): categories and Markdown articles, public or internal.

Articles are addressed by their id (``/kb/12-reset-your-password/``): the slug
follows the title and an old one redirects, so a link sent to a customer keeps
working when the title changes. Counters on the article say how its portal
suggestions did; they are bumped with one UPDATE each (kb/suggestions.py), so
counting costs no rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User

SLUG_LENGTH = 80


def slug_for(text: str) -> str:
    """A slug in any script (S13): Cyrillic titles keep their words; nothing left, ``article``."""
    return slugify(text, allow_unicode=True)[:SLUG_LENGTH].strip("-") or "article"


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=SLUG_LENGTH, unique=True, allow_unicode=True)
    order = models.PositiveIntegerField(default=0, help_text="Smaller numbers come first.")
    description = models.CharField(
        max_length=300, blank=True, help_text="One line under the name on the public home."
    )

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kb:category", kwargs={"slug": self.slug})


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: customers and visitors"
    INTERNAL = "internal", "Internal: staff only"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Article(models.Model):
    title = models.CharField(max_length=200)
    # Follows the title; the id in the URL is what finds the article.
    slug = models.SlugField(max_length=SLUG_LENGTH, allow_unicode=True)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    body = models.TextField(blank=True, help_text="Markdown.")
    # Internal unless said otherwise: a row made anywhere but the form is never public by accident.
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Bumped by every save: an edit made on an older version is refused, not lost.
    version = models.PositiveIntegerField(default=1)
    # Portal suggestions: in how many ticket-writing sessions it was suggested and
    # opened, and how often a ticket was opened all the same afterwards.
    times_suggested = models.PositiveIntegerField(default=0)
    times_opened = models.PositiveIntegerField(default=0)
    tickets_after_suggestion = models.PositiveIntegerField(default=0)
    tickets_after_opening = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [
            # The public home, category pages and suggestions read published public articles.
            models.Index(fields=["status", "visibility", "category"], name="article_listed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="article_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public address; it answers only while the article is for customers."""
        return reverse("kb:article", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def is_for_customers(self) -> bool:
        """Readable at its public URL: only these may be linked in an answer."""
        return self.is_public and self.is_published
