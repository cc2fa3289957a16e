"""The OpenAPI schema and the browsable documentation, under the project's CSP."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders


def test_the_schema_is_openapi_3_with_bearer_auth(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/tickets" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_the_docs_page_runs_only_our_own_scripts(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    # No script runs inline: the only inline block is the JSON the bundled script reads.
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" in attributes or body.strip().startswith("{")
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources)
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source


def test_the_docs_page_has_the_policy_of_every_page(client, db):
    docs = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert docs == client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in docs
    assert "unsafe-inline" not in docs
