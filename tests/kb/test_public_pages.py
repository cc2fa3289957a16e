"""The public knowledge base: readable without signing in, at addresses that keep working."""

from __future__ import annotations

from django.test import Client

from kb.articles import publish, unpublish, update_article
from kb.models import Visibility
from tests.panel.helpers import queries_for
from tests.panel.test_security_headers import inline_code


def test_the_home_lists_categories_with_their_public_articles(client: Client, write, world):
    write("Pay an invoice", "By card.")
    write("Internal billing runbook", public=False)
    write("Uncategorised tip", in_category=None)
    page = client.get("/kb/").content.decode()
    assert "How can we help?" in page
    assert "Billing" in page and "Pay an invoice" in page and "All 1 article" in page
    assert "Uncategorised tip" in page
    assert "runbook" not in page


def test_an_article_is_readable_without_signing_in(client: Client, write):
    article = write("Pay an invoice", "Pay **by card**.")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "<strong>by card</strong>" in page.content.decode()
    assert "default-src 'none'" in page["Content-Security-Policy"]


def test_the_address_holds_the_id_so_a_new_title_keeps_old_links_working(client, write, world):
    article = write("Pay an invoice", "By card.")
    old = article.get_absolute_url()
    assert old == f"/kb/{article.pk}-pay-an-invoice/"
    renamed = update_article(
        editor=world.supervisor,
        article=article,
        expected_version=article.version,
        title="Paying invoices by card",
        body=article.body,
        category=article.category,
        visibility=article.visibility,
    )
    new = renamed.get_absolute_url()
    assert new == f"/kb/{article.pk}-paying-invoices-by-card/"
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    assert client.get(new).status_code == 200


def test_the_redirect_keeps_the_suggestion_marker(client, write):
    article = write("Pay an invoice")
    response = client.get(f"/kb/{article.pk}-anything/?from=suggestion")
    assert response["Location"] == article.get_absolute_url() + "?from=suggestion"


def test_titles_in_any_script_make_readable_addresses(client, write):
    article = write("Оплата счёта", "Картой.")
    assert article.slug == "оплата-счёта"
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Оплата счёта" in response.content.decode()


def test_unpublished_or_internal_articles_are_gone_from_their_address(client, write, world):
    article = write("Pay an invoice")
    unpublish(editor=world.supervisor, article=article)
    assert client.get(article.get_absolute_url()).status_code == 404
    publish(editor=world.supervisor, article=article)
    assert client.get(article.get_absolute_url()).status_code == 200
    update_article(
        editor=world.supervisor,
        article=article,
        expected_version=article.version,
        title=article.title,
        body="",
        category=None,
        visibility=Visibility.INTERNAL,
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_an_unknown_article_is_not_found(client, db):
    assert client.get("/kb/999999-nothing/").status_code == 404


def test_a_category_page_lists_its_public_articles(client, write, category):
    write("Pay an invoice")
    write("Refund runbook", public=False)
    page = client.get(f"/kb/category/{category.slug}/").content.decode()
    assert "Pay an invoice" in page and "Refund runbook" not in page


def test_a_category_of_internal_articles_alone_is_not_found(client, write, category):
    write("Refund runbook", public=False)
    assert client.get(f"/kb/category/{category.slug}/").status_code == 404
    assert client.get("/kb/category/nothing-here/").status_code == 404


def test_no_page_has_code_the_policy_would_refuse(client, world, write):
    article = write("Pay an invoice", "<script>alert(1)</script> <b style='x' onclick='y'>b</b>")
    public = ["/kb/", article.get_absolute_url(), "/kb/search/?q=invoice"]
    public += [f"/kb/category/{article.category.slug}/", "/kb/suggestions/?title=invoice"]
    for url in public:
        assert inline_code(client.get(url).content.decode()) == [], url
    client.force_login(world.supervisor)
    for url in (
        "/panel/kb/",
        f"/panel/kb/articles/{article.pk}/",
        f"/panel/kb/articles/{article.pk}/edit/",
        "/panel/kb/articles/new/",
        "/panel/kb/categories/",
        f"/panel/kb/categories/{article.category_id}/",
        "/panel/kb/link-search/?q=invoice",
    ):
        response = client.get(url)
        assert "default-src 'none'" in response["Content-Security-Policy"], url
        assert inline_code(response.content.decode()) == [], url


def test_signed_in_customers_get_their_tickets_in_the_navigation(client, world, write):
    write("Pay an invoice")
    assert 'id="nav-sign-in"' in client.get("/kb/").content.decode()
    client.force_login(world.customer_a)
    assert 'id="nav-my-tickets"' in client.get("/kb/").content.decode()


def test_the_home_costs_the_same_queries_for_few_and_many_articles(client, world, write, category):
    write("Pay an invoice")
    client.get("/kb/")  # the first request of a process reads what later ones have cached
    few = queries_for(client, "/kb/")
    for number in range(20):
        write(f"Tip {number}", in_category=category if number % 2 else None)
    assert queries_for(client, "/kb/") == few
