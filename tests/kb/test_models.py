"""Articles and categories, and the one write path that changes them (kb/articles.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kb.articles import (
    StaleArticle,
    create_article,
    may_edit,
    publish,
    save_category,
    unpublish,
    update_article,
)
from kb.models import Article, ArticleStatus, Visibility, slug_for


def test_a_new_article_is_a_draft_by_its_author(world, category):
    article = create_article(
        editor=world.supervisor,
        title="  Pay an invoice  ",
        body="By card.",
        category=category,
        visibility=Visibility.PUBLIC,
    )
    assert article.status == ArticleStatus.DRAFT and article.published_at is None
    assert article.title == "Pay an invoice" and article.slug == "pay-an-invoice"
    assert article.author == world.supervisor and article.version == 1


def test_publishing_dates_the_article_once(world, write):
    article = write("Pay an invoice", published=False)
    first = publish(editor=world.admin, article=article).published_at
    assert first is not None
    unpublish(editor=world.admin, article=article)
    again = publish(editor=world.admin, article=article)
    assert again.published_at == first and again.status == ArticleStatus.PUBLISHED


def test_an_edit_on_an_old_version_is_refused_with_the_article_as_it_is(world, write):
    article = write("Pay an invoice", "By card.")
    fields: dict = {"body": "By transfer.", "category": None, "visibility": Visibility.PUBLIC}
    update_article(
        editor=world.admin, article=article, expected_version=1, title="Paying invoices", **fields
    )
    with pytest.raises(StaleArticle) as refused:
        update_article(
            editor=world.supervisor, article=article, expected_version=1, title="Mine", **fields
        )
    assert refused.value.article.title == "Paying invoices"
    assert refused.value.article.version == 2


@pytest.mark.parametrize("role", ["agent", "customer_a"])
def test_only_supervisors_and_administrators_write(world, write, role):
    person = getattr(world, role)
    article = write("Pay an invoice")
    assert not may_edit(person)
    with pytest.raises(PermissionDenied):
        create_article(
            editor=person, title="x", body="", category=None, visibility=Visibility.PUBLIC
        )
    with pytest.raises(PermissionDenied):
        unpublish(editor=person, article=article)
    with pytest.raises(PermissionDenied):
        save_category(editor=person, category=None, name="x", slug="", order=0)


def test_an_inactive_supervisor_writes_nothing(world):
    world.supervisor.is_active = False
    assert not may_edit(world.supervisor)


@pytest.mark.parametrize(
    ("title", "field"),
    [("", "title"), ("   \x00 ", "title"), ("x" * 201, "title")],
)
def test_titles_are_checked(world, title, field):
    with pytest.raises(ValidationError) as refused:
        create_article(
            editor=world.admin, title=title, body="", category=None, visibility=Visibility.PUBLIC
        )
    assert field in refused.value.message_dict


def test_control_characters_are_taken_out(world):
    article = create_article(
        editor=world.admin,
        title="Pay\x00 an\x1b invoice",
        body="Line\x00 one\nline two",
        category=None,
        visibility=Visibility.PUBLIC,
    )
    assert article.title == "Pay an invoice" and article.body == "Line one\nline two"


def test_the_database_refuses_unknown_visibility_and_status(world):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="x", slug="x", visibility="everyone")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="x", slug="x", status="live")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="x", slug="x", status=ArticleStatus.PUBLISHED)
    Article.objects.create(title="x", slug="x", status=ArticleStatus.PUBLISHED, published_at=now)


def test_a_row_made_anywhere_but_the_form_is_internal_and_a_draft(db):
    article = Article.objects.create(title="x", slug="x")
    assert article.visibility == Visibility.INTERNAL and article.status == ArticleStatus.DRAFT


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Pay an invoice!", "pay-an-invoice"),
        ("Счёт и оплата", "счёт-и-оплата"),
        ("Rechnung ändern", "rechnung-ändern"),
        ("!!!", "article"),
        ("word " * 40, ("word-" * 16)[:-1]),
    ],
)
def test_slugs_follow_the_title_in_any_script(text, slug):
    assert slug_for(text) == slug


def test_category_addresses_are_unique(world):
    save_category(editor=world.admin, category=None, name="Billing", slug="", order=0)
    with pytest.raises(ValidationError) as refused:
        save_category(editor=world.admin, category=None, name="Billing", slug="", order=1)
    assert "slug" in refused.value.message_dict
    other = save_category(editor=world.admin, category=None, name="Billing", slug="money", order=1)
    assert other.slug == "money"
