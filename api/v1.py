"""The REST API, version 1 (S38), under /api/v1/: its OpenAPI schema at
/api/v1/openapi.json and its browsable documentation at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from api import customers, errors, reference, tickets
from api.auth import TokenAuth

# The documentation is Swagger UI from django-ninja's static files (no CDN), under
# the project's own Content-Security-Policy: nothing inline runs (its settings are
# a JSON block the bundled script reads), and tests/browser/test_api_docs.py holds
# that it draws and calls the API without a violation.
api = NinjaAPI(
    title="Frontdesk API",
    version="1",
    description=(
        "Tickets, messages, queues, customer accounts, articles and search, as the "
        "token's owner sees them (personal tokens) or within an integration's queues. "
        "Send `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", tickets.router)
api.add_router("/", customers.router)
api.add_router("/", reference.router)
