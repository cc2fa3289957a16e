"""What tickets refer to: queues, and the knowledge base's articles (read only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from accounts.models import User
from api.auth import caller_of
from api.errors import REFUSALS
from api.schemas import ArticleOut, Error, Listing, QueueOut
from kb import queries as kb
from kb.models import Article
from tickets import queries
from tickets.models import Queue

router = Router(tags=["queues and articles"])
ERRORS: dict[int, type[Schema]] = dict.fromkeys(REFUSALS, Error)


@router.get("/queues", response={200: list[QueueOut], **ERRORS}, url_name="queues")
def list_queues(request: HttpRequest) -> list[Queue]:
    """The queues whose tickets the caller sees as a whole: an administrator's all, a
    supervisor's own and the default queue, an integration's scope; agents none."""
    return queries.queue_list(caller_of(request).actor)


@router.get("/articles", response={200: list[ArticleOut], **ERRORS}, url_name="articles")
def list_articles(
    request: HttpRequest,
    listing: Query[Listing],
) -> list[Article]:
    """Staff read every article; integrations the published public ones."""
    actor = caller_of(request).actor
    if isinstance(actor, User):
        found = kb.search_staff(actor, kb.StaffFilter(text=listing.q))
    elif listing.q:
        found = kb.search_public(listing.q)
    else:
        found = kb.for_customers().select_related("category").order_by("title", "pk")
    return list(found[listing.slice])


@router.get("/articles/{int:pk}", response={200: ArticleOut, **ERRORS}, url_name="article")
def get_article(request: HttpRequest, pk: int) -> Article:
    actor = caller_of(request).actor
    article = kb.staff_article(pk) if isinstance(actor, User) else kb.public_article(pk)
    if article is None:
        raise Article.DoesNotExist
    return article
