"""Registering webhooks: the checks every way of saving one goes through.

The panel's pages and Django's admin both validate a webhook here, so a URL
that points inside the network is refused wherever it is typed
(webhooks/targets.py).
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from webhooks import targets
from webhooks.models import PENDING, Attempt, Delivery, DeliveryState, Webhook


def check_target(url: str, *, allow_private: bool) -> None:
    """ValidationError on the ``url`` field when the URL may not receive webhooks."""
    try:
        targets.check(url, allow_private=allow_private)
    except targets.Refused as refusal:
        raise ValidationError({"url": str(refusal)}) from refusal


def webhook_list() -> list[Webhook]:
    """Every webhook with counts of its deliveries waiting and failed, for the panel."""
    return list(
        Webhook.objects.annotate(
            pending=Count("deliveries", filter=Q(deliveries__state__in=PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
        ).order_by("name", "id")
    )


def recent_deliveries(webhook: Webhook, limit: int = 50) -> list[Delivery]:
    return list(webhook.deliveries.order_by("-id")[:limit])


def attempts_of(delivery: Delivery) -> list[Attempt]:
    return list(delivery.tries.order_by("started_at", "id"))


def readable_body(delivery: Delivery) -> str:
    """The body as people read it: indented (the receiver gets the compact bytes)."""
    try:
        return json.dumps(json.loads(delivery.body), indent=2, ensure_ascii=False)
    except ValueError:
        return delivery.body
