"""Every read of the knowledge base a page needs (S37).

Customers, visitors and the portal see published public articles only
(``for_customers``); staff see every article in the panel. Searching looks for
words in titles and bodies, case folded in every script on SQLite too
(``UnicodeLower``); each is a scan of the articles, fine for a knowledge base
of thousands, until the full-text index of the ``search`` module replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from accounts.models import User
from frontdesk.db import UnicodeLower
from frontdesk.text import one_line
from kb.models import Article, ArticleStatus, Category, Visibility

#: At most this many words of a query count; more only make it slower.
MAX_WORDS = 8
SUGGESTIONS = 5
#: Words too common to say what a ticket is about (English, German, Russian: S48).
_COMMON = (
    "the and for with from that this have has was are not can cannot how what why when "
    "where who does doesn't don't our your you its into "
    "der die das und mit ist nicht kann wie was ich mein meine ein eine den dem "
    "как что мой моя это для"
)
#: Words shorter than three letters never count (``suggestions``).
COMMON_WORDS = frozenset(_COMMON.split())


def words_of(text: str) -> list[str]:
    """The words a search looks for, lower-cased; control characters never reach a LIKE."""
    return one_line(text).lower().split()[:MAX_WORDS]


def for_customers() -> QuerySet[Article]:
    """Articles anybody may read: public and published."""
    return Article.objects.filter(visibility=Visibility.PUBLIC, status=ArticleStatus.PUBLISHED)


def public_article(pk: int) -> Article | None:
    return for_customers().select_related("category").filter(pk=pk).first()


def staff_article(pk: int) -> Article | None:
    """Any article, for the panel (all staff may read internal ones and drafts)."""
    return Article.objects.select_related("category", "author", "updated_by").filter(pk=pk).first()


def _with_folded_text(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.annotate(title_folded=UnicodeLower("title"), body_folded=UnicodeLower("body"))


def _containing_all(articles: QuerySet[Article], words: list[str]) -> QuerySet[Article]:
    articles = _with_folded_text(articles)
    for word in words:
        articles = articles.filter(Q(title_folded__contains=word) | Q(body_folded__contains=word))
    return articles.annotate(
        in_title=Case(
            When(Q(*[Q(title_folded__contains=word) for word in words]), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def search_public(text: str) -> QuerySet[Article]:
    """Published public articles holding every word; those with all of them in the title first."""
    words = words_of(text)
    if not words:
        return Article.objects.none()
    found = _containing_all(for_customers(), words)
    return found.select_related("category").order_by("-in_title", "title", "pk")


@dataclass(frozen=True)
class StaffFilter:
    text: str = ""
    status: str = ""
    visibility: str = ""
    category: int | None = None


def search_staff(user: User, wanted: StaffFilter) -> QuerySet[Article]:
    """Every article for the panel's list, filtered; staff read internal articles and drafts."""
    if user.staff is None or not user.is_active:
        return Article.objects.none()
    articles = Article.objects.select_related("category", "updated_by")
    if wanted.status in ArticleStatus.values:
        articles = articles.filter(status=wanted.status)
    if wanted.visibility in Visibility.values:
        articles = articles.filter(visibility=wanted.visibility)
    if wanted.category is not None:
        articles = articles.filter(category_id=wanted.category)
    words = words_of(wanted.text)
    if not words:
        return articles.order_by("-updated_at", "-pk")
    return _containing_all(articles, words).order_by("-in_title", "-updated_at", "-pk")


def for_linking(user: User, text: str, limit: int = 10) -> list[Article]:
    """Articles to link from an answer: all that match, the ones customers may open first."""
    if not words_of(text):
        return []
    found = search_staff(user, StaffFilter(text=text))
    readable = Q(visibility=Visibility.PUBLIC, status=ArticleStatus.PUBLISHED)
    return list(
        found.annotate(
            linkable=Case(
                When(readable, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        ).order_by("-linkable", "-in_title", "title", "pk")[:limit]
    )


def suggestions(title: str, limit: int = SUGGESTIONS) -> list[Article]:
    """Published public articles for a new ticket's title, the best matches first.

    Unlike a search, an article needs only some of the words: a customer's title
    ("Outlook cannot send mail since Monday") rarely holds every word of the
    article that answers it. A word in the title counts twice.
    """
    words = [word for word in words_of(title) if len(word) >= 3 and word not in COMMON_WORDS]
    if not words:
        return []
    score = sum(
        (
            Case(
                When(title_folded__contains=word, then=Value(2)),
                When(body_folded__contains=word, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in words
        ),
        start=Value(0, output_field=IntegerField()),
    )
    matching = Q()
    for word in words:
        matching |= Q(title_folded__contains=word) | Q(body_folded__contains=word)
    found = _with_folded_text(for_customers()).filter(matching).annotate(score=score)
    return list(found.select_related("category").order_by("-score", "-updated_at", "pk")[:limit])


def public_categories() -> list[Category]:
    """Categories with published public articles, each with its count and its articles."""
    counted = Category.objects.annotate(
        public_count=Count(
            "articles",
            filter=Q(
                articles__visibility=Visibility.PUBLIC,
                articles__status=ArticleStatus.PUBLISHED,
            ),
        )
    ).filter(public_count__gt=0)
    categories: list[Category] = list(counted.order_by("order", "name", "pk"))
    listed = for_customers().filter(category__in=categories).order_by("title", "pk")
    by_category: dict[int, list[Article]] = {}
    for article in listed:
        by_category.setdefault(article.category_id or 0, []).append(article)
    for category in categories:
        category.listed = by_category.get(category.pk, [])  # type: ignore[attr-defined]
    return categories


def uncategorised_public() -> QuerySet[Article]:
    return for_customers().filter(category__isnull=True).order_by("title", "pk")


def recently_updated_public(count: int = 5) -> QuerySet[Article]:
    return for_customers().select_related("category").order_by("-updated_at", "-pk")[:count]


def popular_public(count: int = 4) -> QuerySet[Article]:
    """The articles customers opened most from suggestions; none before any was."""
    opened = for_customers().filter(times_opened__gt=0)
    return opened.order_by("-times_opened", "-times_suggested", "title")[:count]


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def public_in_category(category: Category) -> QuerySet[Article]:
    return for_customers().filter(category=category).order_by("title", "pk")


def related_public(article: Article, count: int = 5) -> QuerySet[Article]:
    """Other articles of its category, for the end of an article."""
    if article.category_id is None:
        return Article.objects.none()
    others = for_customers().filter(category_id=article.category_id).exclude(pk=article.pk)
    return others.order_by("title", "pk")[:count]


def categories() -> QuerySet[Category]:
    return Category.objects.annotate(article_count=Count("articles")).order_by(
        "order", "name", "pk"
    )


def category(pk: int) -> Category | None:
    return Category.objects.filter(pk=pk).first()


def slug_taken(slug: str, *, by_others_than: Category | None = None) -> bool:
    taken = Category.objects.filter(slug=slug)
    if by_others_than is not None and by_others_than.pk is not None:
        taken = taken.exclude(pk=by_others_than.pk)
    return taken.exists()
