"""The API's browsable documentation (Swagger UI, from our static files) works in a
real browser under its page's policy, and a call made from it answers."""

from __future__ import annotations

from playwright.sync_api import expect

from accounts import tokens
from tests.browser.conftest import screenshot


def test_the_docs_show_the_operations_and_try_one_with_a_token(world, open_page):
    secret = tokens.create_personal(actor=world.supervisor, name="docs").secret
    page = open_page()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Frontdesk API")
    operation = page.locator("#operations-queues_and_articles-api_reference_list_queues")
    expect(operation).to_be_visible()
    screenshot(page, "api-docs")

    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").fill(secret)
    page.get_by_role("button", name="Apply credentials").click()
    page.locator(".dialog-ux .btn-done").click()

    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table tbody .response")
    expect(answer.locator(".response-col_status")).to_contain_text("200")
    expect(answer).to_contain_text("Billing")


def test_an_administrator_makes_an_integration_token_in_the_panel(world, open_page):
    tokens.create_personal(actor=world.admin, name="laptop scripts")
    page = open_page(world.admin)
    page.goto("/panel/profile/")
    page.locator("#api-tokens-link").click()
    form = page.locator("#integration-token-form")
    form.get_by_label("Name").fill("hosting-cp")
    form.get_by_label("Billing").check()
    form.get_by_label("May change tickets").check()
    form.get_by_role("button", name="Create an integration token").click()
    secret = page.locator("#new-token-secret").inner_text()
    assert secret.startswith("fd_")
    expect(page.locator("#integration-tokens")).to_contain_text("hosting-cp")
    screenshot(page, "api-tokens")
