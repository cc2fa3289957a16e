"""The panel's knowledge base pages by role, every form posted as the page rendered it."""

from __future__ import annotations

import pytest

from kb.models import Article, ArticleStatus, Category, Visibility
from tests.panel.helpers import queries_for, rendered_form, unlabelled_controls


def form_of(client, url: str, form_id: str, **typed: object) -> dict[str, object]:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {**rendered_form(page.content.decode(), form_id), **typed}


def test_a_supervisor_writes_an_article_that_starts_as_a_draft(world, as_user, category):
    client = as_user(world.supervisor)
    data = form_of(
        client,
        "/panel/kb/articles/new/",
        "article-form",
        title="Pay an invoice",
        body="Pay **by card**.",
        category=str(category.pk),
    )
    assert data["visibility"] == Visibility.PUBLIC  # the form's default
    response = client.post("/panel/kb/articles/new/", data)
    article = Article.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/panel/kb/articles/{article.pk}/"
    )
    assert article.status == ArticleStatus.DRAFT and article.category == category
    assert article.author == world.supervisor
    page = client.get(response["Location"]).content.decode()
    assert "<strong>by card</strong>" in page and 'id="kb-publish"' in page


def test_publishing_and_unpublishing_from_the_article_page(world, as_user, write, client):
    article = write("Pay an invoice", published=False)
    editor = as_user(world.admin)
    assert editor.post(f"/panel/kb/articles/{article.pk}/publish/").status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    page = editor.get(f"/panel/kb/articles/{article.pk}/").content.decode()
    assert f"http://testserver{article.get_absolute_url()}" in page
    assert editor.post(f"/panel/kb/articles/{article.pk}/unpublish/").status_code == 302
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_editing_posts_the_form_as_shown_and_bumps_the_version(world, as_user, write):
    article = write("Pay an invoice", "By card.")
    client = as_user(world.supervisor)
    url = f"/panel/kb/articles/{article.pk}/edit/"
    data = form_of(client, url, "article-form", title="Paying invoices")
    assert data["body"] == "By card." and data["version"] == "1"
    assert data["visibility"] == Visibility.PUBLIC
    response = client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Paying invoices" and article.version == 2
    assert article.updated_by == world.supervisor and article.body == "By card."


def test_a_stale_edit_keeps_the_typed_text_and_saving_again_wins(world, as_user, write):
    article = write("Pay an invoice", "By card.")
    client = as_user(world.supervisor)
    url = f"/panel/kb/articles/{article.pk}/edit/"
    mine = form_of(client, url, "article-form", body="My careful rewrite.")
    # Meanwhile the administrator saves.
    theirs = form_of(as_user(world.admin), url, "article-form", body="Theirs.")
    assert as_user(world.admin).post(url, theirs).status_code == 302
    client = as_user(world.supervisor)
    refused = client.post(url, mine)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "after you opened it" in page and "My careful rewrite." in page
    again = {**rendered_form(page, "article-form")}
    assert again["body"] == "My careful rewrite." and again["version"] == "2"
    assert client.post(url, again).status_code == 302
    article.refresh_from_db()
    assert article.body == "My careful rewrite." and article.version == 3


def test_the_preview_shows_the_body_as_readers_will_and_saves_nothing(world, as_user, write):
    article = write("Pay an invoice", "By card.")
    client = as_user(world.supervisor)
    data = form_of(
        client,
        f"/panel/kb/articles/{article.pk}/edit/",
        "article-form",
        body="# Steps\n\n<script>alert(1)</script>",
    )
    partial = client.post(
        f"/panel/kb/articles/{article.pk}/preview/", data, headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<section id="preview"')
    assert "<h2>Steps</h2>" in partial and "&lt;script&gt;" in partial
    # Without JavaScript the whole form comes back with the preview and the text typed.
    page = client.post(f"/panel/kb/articles/{article.pk}/preview/", data).content.decode()
    assert "<h2>Steps</h2>" in page
    assert rendered_form(page, "article-form")["body"] == data["body"]
    article.refresh_from_db()
    assert article.body == "By card."


def test_a_new_article_can_be_previewed_before_it_exists(world, as_user):
    client = as_user(world.supervisor)
    data = form_of(client, "/panel/kb/articles/new/", "article-form", title="x", body="*hi*")
    page = client.post("/panel/kb/articles/preview/", data, headers={"HX-Request": "true"})
    assert "<em>hi</em>" in page.content.decode()
    assert not Article.objects.exists()


def test_an_empty_title_is_refused_and_the_text_kept(world, as_user):
    client = as_user(world.supervisor)
    data = form_of(client, "/panel/kb/articles/new/", "article-form", title=" ", body="Kept.")
    response = client.post("/panel/kb/articles/new/", data)
    assert response.status_code == 422
    assert rendered_form(response.content.decode(), "article-form")["body"] == "Kept."


def test_agents_read_everything_and_write_nothing(world, as_user, write):
    internal = write("Escalation runbook", "Call the lead.", public=False)
    draft = write("Coming soon", published=False)
    client = as_user(world.agent)
    listing = client.get("/panel/kb/").content.decode()
    assert "Escalation runbook" in listing and "Coming soon" in listing
    assert 'id="kb-new-article"' not in listing
    page = client.get(f"/panel/kb/articles/{internal.pk}/").content.decode()
    assert "Call the lead." in page and 'id="kb-edit"' not in page
    for url in (
        "/panel/kb/articles/new/",
        f"/panel/kb/articles/{draft.pk}/edit/",
        f"/panel/kb/articles/{draft.pk}/publish/",
        f"/panel/kb/articles/{internal.pk}/unpublish/",
        "/panel/kb/categories/new/",
    ):
        assert client.post(url, {"title": "x", "name": "x", "order": "0"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


@pytest.mark.parametrize("role", ["customer_a", "customer_b"])
def test_customers_reach_no_panel_page_of_the_knowledge_base(world, as_user, write, role):
    article = write("Escalation runbook", public=False)
    client = as_user(getattr(world, role))
    for url in ("/panel/kb/", f"/panel/kb/articles/{article.pk}/", "/panel/kb/link-search/?q=x"):
        assert client.get(url).status_code == 403


def test_categories_are_added_and_renamed_by_supervisors(world, as_user):
    client = as_user(world.supervisor)
    data = form_of(client, "/panel/kb/categories/", "category-form", name="Mail & DNS", order="2")
    assert client.post("/panel/kb/categories/new/", data).status_code == 302
    made = Category.objects.get()
    assert made.slug == "mail-dns" and made.order == 2
    url = f"/panel/kb/categories/{made.pk}/"
    data = form_of(client, url, "category-form", name="Mail and DNS")
    assert data["slug"] == "mail-dns"
    assert client.post(url, data).status_code == 302
    made.refresh_from_db()
    assert made.name == "Mail and DNS" and made.slug == "mail-dns"


def test_a_taken_category_address_is_refused(world, as_user, category):
    client = as_user(world.supervisor)
    data = form_of(client, "/panel/kb/categories/", "category-form", name="Billing", order="0")
    response = client.post("/panel/kb/categories/new/", data)
    assert response.status_code == 422
    assert "Another category has this address." in response.content.decode()


def test_every_control_of_the_pages_is_labelled(world, as_user, write):
    article = write("Pay an invoice")
    client = as_user(world.supervisor)
    for url in (
        "/panel/kb/",
        "/panel/kb/articles/new/",
        f"/panel/kb/articles/{article.pk}/edit/",
        "/panel/kb/categories/",
    ):
        assert unlabelled_controls(client.get(url).content.decode()) == [], url


def test_the_list_costs_the_same_queries_for_3_and_30_articles(world, as_user, write):
    client = as_user(world.agent)
    for number in range(3):
        write(f"Article {number}", public=number % 2 == 0)
    client.get("/panel/kb/")  # the first request of a process reads what later ones have cached
    few = queries_for(client, "/panel/kb/")
    for number in range(3, 30):
        write(f"Article {number}", public=number % 2 == 0)
    assert queries_for(client, "/panel/kb/") == few
