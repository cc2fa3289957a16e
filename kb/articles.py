"""The knowledge base's write path: articles and categories are changed only here.

Who may: supervisors and administrators write, edit, publish and arrange the
knowledge base; every staff member reads all of it (internal articles and
drafts too) and links public articles from answers. A public article speaks
for the company to every visitor, so it is written by those who already
decide for the team (the role table of the spec: the "tech support admin").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from frontdesk.text import one_line, without_controls
from kb.models import Article, ArticleStatus, Category, Visibility, slug_for

BODY_MAX_CHARS = 100_000


class StaleArticle(Exception):
    """The article changed since the form was shown; ``article`` is how it is now."""

    def __init__(self, article: Article) -> None:
        super().__init__(f"The article was changed since version {article.version - 1}.")
        self.article = article


def may_edit(user: User) -> bool:
    staff = user.staff
    return user.is_active and staff is not None and staff.is_supervising


def _require_editor(user: User) -> None:
    if not may_edit(user):
        raise PermissionDenied("Only supervisors and administrators edit the knowledge base.")


def _checked(title: str, body: str, visibility: str) -> tuple[str, str]:
    title = one_line(title).strip()
    body = without_controls(body)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("An article needs a title.")
    elif len(title) > Article._meta.get_field("title").max_length:  # type: ignore[operator]
        errors["title"] = _("Titles are at most 200 characters.")
    if len(body) > BODY_MAX_CHARS:
        errors["body"] = _("An article holds at most %(count)s characters.") % {
            "count": f"{BODY_MAX_CHARS:,}"
        }
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose public or internal.")
    if errors:
        raise ValidationError(errors)
    return title, body


def create_article(
    *, editor: User, title: str, body: str, category: Category | None, visibility: str
) -> Article:
    """A new article, a draft until it is published."""
    _require_editor(editor)
    title, body = _checked(title, body, visibility)
    now = timezone.now()
    return Article.objects.create(
        title=title,
        slug=slug_for(title),
        body=body,
        category=category,
        visibility=visibility,
        status=ArticleStatus.DRAFT,
        created_at=now,
        updated_at=now,
        author=editor,
        updated_by=editor,
    )


def update_article(
    *,
    editor: User,
    article: Article,
    expected_version: int,
    title: str,
    body: str,
    category: Category | None,
    visibility: str,
) -> Article:
    """Save an edit made on ``expected_version``; a newer one raises ``StaleArticle``.

    The slug follows the new title; the old address redirects (kb/views.py).
    """
    _require_editor(editor)
    title, body = _checked(title, body, visibility)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.version != expected_version:
            raise StaleArticle(current)
        current.title = title
        current.slug = slug_for(title)
        current.body = body
        current.category = category
        current.visibility = visibility
        current.updated_at = timezone.now()
        current.updated_by = editor
        current.version += 1
        current.save()
    return current


def publish(*, editor: User, article: Article) -> Article:
    """Make the article readable: public ones by everybody, internal ones by staff."""
    return _set_status(editor, article, ArticleStatus.PUBLISHED)


def unpublish(*, editor: User, article: Article) -> Article:
    """Back to a draft: its public address answers 404 from now on."""
    return _set_status(editor, article, ArticleStatus.DRAFT)


def _set_status(editor: User, article: Article, status: ArticleStatus) -> Article:
    _require_editor(editor)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.status == status:
            return current
        current.status = status
        if status == ArticleStatus.PUBLISHED:
            # The first publication is the article's date for readers; republishing keeps it.
            current.published_at = current.published_at or timezone.now()
        current.updated_by = editor
        current.save(update_fields=["status", "published_at", "updated_by"])
    return current


def save_category(
    *,
    editor: User,
    category: Category | None,
    name: str,
    slug: str,
    order: int,
    description: str = "",
) -> Category:
    """Create (``category`` None) or change a category; an empty slug comes from the name."""
    _require_editor(editor)
    name = one_line(name).strip()
    slug = slug_for(slug or name)
    if not name:
        raise ValidationError({"name": _("A category needs a name.")})
    with transaction.atomic():
        taken = Category.objects.filter(slug=slug)
        if category is not None:
            taken = taken.exclude(pk=category.pk)
        if taken.exists():
            raise ValidationError({"slug": _("Another category has this address.")})
        row = category or Category()
        row.name = name
        row.slug = slug
        row.order = order
        row.description = one_line(description).strip()
        row.save()
    return row
