"""The read-only pages: the front page, the dataset search (/dataset), a dataset (where
`ckan_url` points), tags, groups, and the favicon.

Each page is a few action calls (as the visitor logged in to the site, if
any), rendered as plain HTML that works without JavaScript. A dataset or group
the visitor may not see is a 404 page, whether it is unknown, deleted or
forbidden: a page never says which. Dataset lists come from `package_search`
(catalog/listing.py), so they show what the API answers.
"""
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.utils.safestring import mark_safe

from catalog import listing
from catalog.licenses import get_license
from catalog.logic import check_access, new_context
from catalog.logic.errors import NotAuthorized, NotFound, SearchError, ValidationError
from catalog.logic.registry import get_action
from catalog.markup import render_markdown
from catalog.models import STATE_ACTIVE, Package


LINK_SCHEMES = ("http://", "https://", "ftp://")
HOME_TAGS = 15
HOME_GROUPS = 10
GROUP_PAGE_SIZE = 20
FAVICON = Path(__file__).resolve().parent / "static" / "catalog" / "favicon.ico"


def _link(url):
    """`url` if it is safe to put in an href (no javascript: or data: URLs), else ""."""
    url = (url or "").strip()
    return url if url.lower().startswith(LINK_SCHEMES) else ""


def _context(request):
    return new_context(user=request.user, ip=request.META.get("REMOTE_ADDR", ""))


def _call(request, action_name, data_dict):
    try:
        return get_action(action_name)(_context(request), data_dict)
    except (NotFound, NotAuthorized, ValidationError):
        raise Http404(f"{data_dict.get('id')} not found") from None


def home(request):
    """The front page: a search box, the most recently changed datasets, popular tags, the largest groups."""
    context = _context(request)
    # Names and titles only: building 20 full dataset dicts (resources, tags,
    # extras of every one) to show 20 links made the front page as slow as its
    # largest datasets. The same datasets current_package_list_with_resources lists.
    check_access("current_package_list_with_resources", context, {"limit": 20})
    datasets = (
        Package.objects.filter(state=STATE_ACTIVE)
        .order_by("-metadata_modified", "name")
        .values("name", "title")[:20]
    )
    try:
        tags = get_action("package_search")(
            _context(request), {"rows": 0, "facet.field": ["tags"], "facet.limit": HOME_TAGS}
        )["facets"].get("tags", {})
    except SearchError:  # the front page stands without its popular tags while the engine is down
        tags = {}
    groups = get_action("group_list")(
        _context(request), {"all_fields": True, "order_by": "packages", "limit": HOME_GROUPS}
    )
    return render(request, "catalog/home.html", {
        "datasets": datasets,
        "tags": [{"name": name, "count": count} for name, count in tags.items()],
        "groups": groups,
    })


@require_safe
def dataset_search(request):
    """/dataset: every dataset, a page at a time, narrowed by words and facet filters."""
    return _listing_page(request, "catalog/dataset_search.html", {})


def tag_read(request, name):
    """/tag/<name>: the datasets carrying a tag (404 when none the visitor may see does)."""
    if not name.strip():  # a blank filter would filter nothing: every dataset under "Tag: "
        raise Http404("No such tag")
    page = listing.SearchPage(request, _context(request), fixed={"tags": name})
    if page.status == 200 and page.count == 0:
        raise Http404(f"No dataset carries the tag {name}")
    return _render_listing(request, page, "catalog/tag_read.html", {"tag": name})


def group_index(request):
    """/group: the groups, largest first, a page at a time."""
    form = listing.PageForm(request.GET)
    if not form.is_valid():
        return render(request, "catalog/group_index.html", {"error": listing.form_error(form)}, status=400)
    number = form.cleaned_data["page"] or 1
    # One group more than a page shows: whether there is a next page, without counting them all.
    groups = get_action("group_list")(_context(request), {
        "all_fields": True, "order_by": "packages",
        "limit": GROUP_PAGE_SIZE + 1, "offset": (number - 1) * GROUP_PAGE_SIZE,
    })
    return render(request, "catalog/group_index.html", {
        "groups": groups[:GROUP_PAGE_SIZE],
        "pages": {
            "number": number,
            "previous": f"?page={number - 1}" if number > 1 else None,
            "next": f"?page={number + 1}" if len(groups) > GROUP_PAGE_SIZE else None,
        },
    })


def dataset_read(request, name):
    """A dataset: title, notes, resources, tags, groups, license and its revision history.

    Tags, formats and the license link to /dataset filtered on them.
    """
    dataset = _call(request, "package_show", {"id": name})
    revisions = _call(request, "package_revision_list", {"id": dataset["id"]})
    license = get_license(dataset.get("license_id"))
    resources = [
        dict(
            resource,
            link=_link(resource.get("url")),
            format_url=listing.search_url(res_format=resource["format"]) if resource.get("format") else "",
        )
        for resource in dataset.get("resources") or []
    ]
    return render(
        request,
        "catalog/dataset_read.html",
        {
            "dataset": dataset,
            # render_markdown's output is sanitised (catalog.markup): safe to embed.
            "notes_html": mark_safe(render_markdown(dataset.get("notes") or "")),
            "resources": resources,
            "source_link": _link(dataset.get("url")),
            "tags": [tag["name"] if isinstance(tag, dict) else tag for tag in dataset.get("tags") or []],
            "license_title": license["title"] if license else dataset.get("license_id") or "",
            "license_url": license["url"] if license else "",
            "license_search_url": listing.search_url(license_id=dataset["license_id"]) if dataset.get("license_id") else "",
            "revisions": revisions,
        },
    )


def group_read(request, name):
    """A group: title, description and its datasets, a page at a time (with facets, as /dataset)."""
    group = _call(request, "group_show", {"id": name, "include_datasets": False})
    page = listing.SearchPage(request, _context(request), fixed={"groups": group["name"]})
    return _render_listing(request, page, "catalog/group_read.html", {
        "group": group,
        "description_html": mark_safe(render_markdown(group.get("description") or "")),
    })


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the site's icon, not a 404 in every log."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")


def _listing_page(request, template, extra):
    return _render_listing(request, listing.SearchPage(request, _context(request)), template, extra)


def _render_listing(request, page, template, extra):
    """Render a dataset list: its results, facets, active filters and pages; a 400 says what was wrong."""
    named = page.filters["groups"] + list(page.facet_counts.get("groups") or {})
    titles = {}
    if named:
        found = get_action("group_list")(_context(request), {"all_fields": True, "groups": named})
        titles = {group["name"]: group["title"] for group in found if group.get("title")}
    context = {
        "search": page,
        "results": page.results,
        "facets": page.facets(titles),
        "active_filters": page.active_filters(titles),
        "pages": page.pages(),
        "sorts": page.sort_choices(),
        **extra,
    }
    response = render(request, template, context, status=page.status)
    if page.unavailable:
        response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response
