"""Public pages of the knowledge base: readable without signing in, public articles only.

Nothing internal or unpublished is ever shown here, to anybody, staff included:
staff read those in the panel. Every read is a function of kb/queries.py.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kb import markdown, queries
from kb import suggestions as suggested


def _counts(request: HttpRequest) -> bool:
    """Suggestions are counted for customers writing tickets: not for staff trying the
    portal, nor for visitors without a session, whose every request would count anew."""
    user = request.user
    return user.is_authenticated and user.staff is None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "categories": queries.public_categories(),
        "uncategorised": queries.uncategorised_public(),
        "recent": queries.recently_updated_public(),
        "popular": queries.popular_public(),
    }
    return render(request, "kb/home.html", context)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.category_by_slug(slug)
    articles = list(queries.public_in_category(found)) if found is not None else []
    if not articles:
        # A category of internal articles alone is nobody's business outside the team.
        raise Http404("No such category.")
    return render(request, "kb/category.html", {"category": found, "articles": articles})


@require_GET
def article(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    found = queries.public_article(pk)
    if found is None:
        raise Http404("No such article.")
    if slug != found.slug:
        # The title changed since the link was made: the link still works.
        query = request.META.get("QUERY_STRING", "")
        target = found.get_absolute_url() + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(target)
    if request.GET.get("from") == suggested.MARKER and _counts(request):
        suggested.opened(request.session, found)
    context = {
        "article": found,
        "body": markdown.render(found.body),
        "related": queries.related_public(found),
    }
    return render(request, "kb/article.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    found = list(queries.search_public(text)[:50])
    return render(
        request,
        "kb/search.html",
        {"query": text, "results": [(each, markdown.excerpt(each.body)) for each in found]},
    )


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The partial under a new ticket's title in the portal (kb/suggestions.py)."""
    title = request.GET.get("title", "")
    found = queries.suggestions(title)
    if not found:
        # Truly empty, so the portal's ``#suggestions:empty`` hides the place.
        return HttpResponse("")
    if _counts(request):
        suggested.shown(request.session, found)
    context = {
        "suggestions": [(each, markdown.excerpt(each.body, 140)) for each in found],
        "marker": suggested.MARKER,
    }
    return render(request, "kb/_suggestions.html", context)
