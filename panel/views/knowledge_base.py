"""The knowledge base in the panel (S37): all staff read and search every article and
link public ones from answers; supervisors and administrators write, edit and publish
(kb/articles.py says why)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kb import articles as writing
from kb import markdown, queries
from kb.models import Article
from panel.auth import StaffRequest, staff_required, supervisor_required
from panel.forms import add_action_errors
from panel.kb_forms import ArticleFilterForm, ArticleForm, CategoryForm

LIST_LENGTH = 100


def _article(pk: int) -> Article:
    found = queries.staff_article(pk)
    if found is None:
        raise Http404("No such article.")
    return found


@require_GET
@staff_required
def article_list(request: StaffRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    found = queries.search_staff(request.user, form.wanted())
    context = {
        "form": form,
        "articles": list(found[: LIST_LENGTH + 1]),
        "list_length": LIST_LENGTH,
        "may_edit": writing.may_edit(request.user),
    }
    return render(request, "panel/kb_articles.html", context)


@require_GET
@staff_required
def article_page(request: StaffRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    context = {
        "article": article,
        "body": markdown.render(article.body),
        "public_url": request.build_absolute_uri(article.get_absolute_url()),
        "may_edit": writing.may_edit(request.user),
    }
    return render(request, "panel/kb_article.html", context)


def _form_page(
    request: StaffRequest, form: ArticleForm, article: Article | None, status: int = 200, **extra
) -> HttpResponse:
    context = {"form": form, "article": article, **extra}
    return render(request, "panel/kb_article_form.html", context, status=status)


@supervisor_required
def article_create(request: StaffRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, None, status=422 if form.is_bound else 200)
    data = form.cleaned_data
    try:
        article = writing.create_article(
            editor=request.user,
            title=data["title"],
            body=data["body"],
            category=data["category"],
            visibility=data["visibility"],
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return _form_page(request, form, None, status=422)
    messages.success(request, _("Saved “%(title)s” as a draft.") % {"title": article.title})
    return redirect("panel:kb_article", pk=article.pk)


@supervisor_required
def article_edit(request: StaffRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    if request.method != "POST":
        initial = {
            "title": article.title,
            "category": article.category_id,
            "visibility": article.visibility,
            "body": article.body,
            "version": article.version,
        }
        return _form_page(request, ArticleForm(initial=initial), article)
    form = ArticleForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, article, status=422)
    data = form.cleaned_data
    try:
        saved = writing.update_article(
            editor=request.user,
            article=article,
            expected_version=data["version"] or 0,
            title=data["title"],
            body=data["body"],
            category=data["category"],
            visibility=data["visibility"],
        )
    except writing.StaleArticle as stale:
        # The typed text stays; saving again (on the version shown now) replaces theirs.
        posted = request.POST.copy()
        posted["version"] = str(stale.article.version)
        return _form_page(request, ArticleForm(posted), stale.article, status=409, stale=True)
    except ValidationError as error:
        add_action_errors(form, error)
        return _form_page(request, form, article, status=422)
    messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
    return redirect("panel:kb_article", pk=saved.pk)


@require_POST
@supervisor_required
def preview(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    """The body as readers will see it; nothing is saved. htmx swaps in the preview
    alone; without JavaScript the form comes back with it, as typed."""
    article = _article(pk) if pk is not None else None
    form = ArticleForm(request.POST)
    rendered = markdown.render(form.data.get("body", ""))
    if request.htmx:
        return render(request, "panel/kb_article_form.html#preview", {"preview": rendered})
    return _form_page(request, form, article, preview=rendered)


@require_POST
@supervisor_required
def publish(request: StaffRequest, pk: int) -> HttpResponse:
    article = writing.publish(editor=request.user, article=_article(pk))
    if article.is_public:
        published = _("Published “%(title)s”: it is shown in the portal and at its public address.")
    else:
        published = _("Published “%(title)s”: it is shown to staff.")
    messages.success(request, published % {"title": article.title})
    return redirect("panel:kb_article", pk=article.pk)


@require_POST
@supervisor_required
def unpublish(request: StaffRequest, pk: int) -> HttpResponse:
    article = writing.unpublish(editor=request.user, article=_article(pk))
    messages.success(
        request,
        _("“%(title)s” is a draft again; customers no longer see it.") % {"title": article.title},
    )
    return redirect("panel:kb_article", pk=article.pk)


@require_GET
@staff_required
def link_search(request: StaffRequest) -> HttpResponse:
    """Articles to link from the answer form, each with its public address when it has one."""
    found = queries.for_linking(request.user, request.GET.get("q", ""))
    results = [
        (
            article,
            request.build_absolute_uri(article.get_absolute_url())
            if article.is_for_customers
            else "",
        )
        for article in found
    ]
    context = {"results": results, "searched": bool(request.GET.get("q", "").strip())}
    return render(request, "panel/_kb_link.html#results", context)


@require_GET
@staff_required
def category_list(request: StaffRequest) -> HttpResponse:
    may_edit = writing.may_edit(request.user)
    context = {
        "categories": queries.categories(),
        "form": CategoryForm() if may_edit else None,
        "may_edit": may_edit,
    }
    return render(request, "panel/kb_categories.html", context)


def _save_category(request: StaffRequest, pk: int | None) -> HttpResponse:
    category = queries.category(pk) if pk is not None else None
    if pk is not None and category is None:
        raise Http404("No such category.")
    initial = (
        {k: getattr(category, k) for k in ("name", "slug", "order", "description")}
        if category is not None
        else None
    )
    form = CategoryForm(request.POST or None, initial=initial)
    context = {"form": form, "category": category}
    if request.method != "POST":
        return render(request, "panel/kb_category_form.html", context)
    if form.is_valid():
        try:
            saved = writing.save_category(
                editor=request.user, category=category, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Category “%(name)s” saved.") % {"name": saved.name})
            return redirect("panel:kb_categories")
    return render(request, "panel/kb_category_form.html", context, status=422)


@supervisor_required
def category_create(request: StaffRequest) -> HttpResponse:
    return _save_category(request, None)


@supervisor_required
def category_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _save_category(request, pk)
