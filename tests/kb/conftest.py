"""Articles for the knowledge base's tests, written through kb/articles.py as staff do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User
from kb.articles import create_article, publish, save_category
from kb.models import Article, Category, Visibility

Write = Callable[..., Article]


@pytest.fixture
def as_user(client: Client) -> Callable[[User], Client]:
    """``as_user(person)`` signs the test client in as that person and returns it."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def category(world) -> Category:
    return save_category(editor=world.supervisor, category=None, name="Billing", slug="", order=1)


@pytest.fixture
def write(world, category) -> Write:
    """``write(title, body, public=True, published=True, category=...)``: an article
    as a supervisor writes (and publishes) it."""

    def write_article(
        title: str,
        body: str = "",
        *,
        public: bool = True,
        published: bool = True,
        in_category: Category | None = category,
    ) -> Article:
        article = create_article(
            editor=world.supervisor,
            title=title,
            body=body,
            category=in_category,
            visibility=Visibility.PUBLIC if public else Visibility.INTERNAL,
        )
        return publish(editor=world.supervisor, article=article) if published else article

    return write_article
