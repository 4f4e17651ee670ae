"""The read-only pages: the front page, and /dataset/<name> and /group/<name>, where `ckan_url` points.

Each page is one action call (as the visitor logged in to the site, if any),
rendered as plain HTML. A dataset or group the visitor may not see is a 404
page, whether it is unknown, deleted or forbidden: a page never says which.
"""
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe

from catalog.licenses import get_license
from catalog.logic import check_access, new_context
from catalog.logic.errors import NotAuthorized, NotFound, ValidationError
from catalog.logic.registry import get_action
from catalog.markup import render_markdown
from catalog.models import STATE_ACTIVE, Package


LINK_SCHEMES = ("http://", "https://", "ftp://")


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
    """The front page: the most recently changed datasets, the groups, and where the API is."""
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
    groups = get_action("group_list")(context, {"all_fields": True})
    return render(request, "catalog/home.html", {"datasets": datasets, "groups": groups})


def dataset_read(request, name):
    """A dataset: title, notes, resources, tags, groups, license and its revision history."""
    dataset = _call(request, "package_show", {"id": name})
    revisions = _call(request, "package_revision_list", {"id": dataset["id"]})
    license = get_license(dataset.get("license_id"))
    resources = [dict(resource, link=_link(resource.get("url"))) for resource in dataset.get("resources") or []]
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
            "revisions": revisions,
        },
    )


def group_read(request, name):
    """A group: title, description and its datasets."""
    group = _call(request, "group_show", {"id": name})
    return render(
        request,
        "catalog/group_read.html",
        {
            "group": group,
            "description_html": mark_safe(render_markdown(group.get("description") or "")),
            "datasets": group.get("packages") or [],
        },
    )
