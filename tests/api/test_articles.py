"""Knowledge base articles: staff read every article, integrations the published
public ones only."""

from __future__ import annotations

import pytest

from kb.articles import create_article, publish
from kb.models import Article, Visibility


@pytest.fixture
def articles(world) -> dict[str, Article]:
    def made(title: str, visibility: str, published: bool) -> Article:
        article = create_article(
            editor=world.admin,
            title=title,
            body="Restart it.",
            category=None,
            visibility=visibility,
        )
        return publish(editor=world.admin, article=article) if published else article

    return {
        "public": made("Mailbox quota", Visibility.PUBLIC, True),
        "internal": made("Mailbox quota for staff", Visibility.INTERNAL, True),
        "draft": made("Mailbox quota draft", Visibility.PUBLIC, False),
    }


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {article["title"] for article in response.json()}


def test_staff_read_every_article(as_role, articles):
    assert titles(as_role("agent").get("/articles", {"q": "mailbox"})) == {
        "Mailbox quota",
        "Mailbox quota for staff",
        "Mailbox quota draft",
    }
    internal = as_role("agent").get(f"/articles/{articles['internal'].pk}")
    assert internal.json()["body"] == "Restart it."


def test_an_integration_reads_published_public_articles_only(billing_reader, articles):
    assert titles(billing_reader.get("/articles")) == {"Mailbox quota"}
    assert titles(billing_reader.get("/articles", {"q": "quota"})) == {"Mailbox quota"}
    assert billing_reader.get(f"/articles/{articles['public'].pk}").status_code == 200
    for hidden in ("internal", "draft"):
        assert billing_reader.get(f"/articles/{articles[hidden].pk}").status_code == 404
