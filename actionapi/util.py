"""The Util API: helpers for scripts and web front-ends, under /api[/1|/2]/util.

Autocompletes call the autocomplete actions and reshape their results into
the spec's `{"ResultSet": {"Result": [...]}}`; markdown and the munge
helpers are pure functions of their input; `is_slug_valid` says whether a
name is free for a new dataset or group.
"""
from django.conf import settings
from django.urls import path
from rest_framework.response import Response

from actionapi.rest.base import ActionAdapterView
from catalog import munge
from catalog.logic.errors import ParameterError
from catalog.logic.validators import name_errors
from catalog.markup import render_markdown
from catalog.models import Group, Package

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000


def _result_set(results):
    return {"ResultSet": {"Result": results}}


class UtilView(ActionAdapterView):
    """A Util API endpoint: reads query parameters, answers JSON."""

    def param(self, name, *, required=False):
        value = self.request.query_params.get(name)
        if value is None and required:
            raise ParameterError(f"Missing parameter: {name}")
        return value if value is not None else ""

    def limit(self):
        raw = self.request.query_params.get("limit")
        if raw in (None, ""):
            return DEFAULT_LIMIT
        try:
            value = int(raw)
        except ValueError:
            raise ParameterError("limit must be a whole number") from None
        if not 0 <= value <= MAX_LIMIT:
            raise ParameterError(f"limit must be between 0 and {MAX_LIMIT}")
        return value


class DatasetAutocomplete(UtilView):
    """Datasets whose name or title starts with `incomplete` (?incomplete=a%20novel)."""

    def get(self, request):
        incomplete = self.param("incomplete")
        if not incomplete:
            return Response(_result_set([]))
        matches = self.call("package_autocomplete", {"q": incomplete, "limit": self.limit()})
        keys = ("name", "title", "match_field", "match_displayed")
        return Response(_result_set([{key: match.get(key) for key in keys} for match in matches]))


class TagAutocomplete(UtilView):
    """Tags containing `incomplete`, ignoring case (?incomplete=ru)."""

    def get(self, request):
        incomplete = self.param("incomplete")
        if not incomplete:
            return Response(_result_set([]))
        tags = self.call("tag_autocomplete", {"q": incomplete, "limit": self.limit()})
        return Response(_result_set([{"Name": _name(tag)} for tag in tags]))


class FormatAutocomplete(UtilView):
    """Resource formats containing `incomplete`, ignoring case (?incomplete=cs)."""

    def get(self, request):
        incomplete = self.param("incomplete")
        if not incomplete:
            return Response(_result_set([]))
        formats = self.call("format_autocomplete", {"q": incomplete, "limit": self.limit()})
        return Response(_result_set([{"Format": _name(fmt, "format")} for fmt in formats]))


class UserAutocomplete(UtilView):
    """Users whose name contains `q`: a list of {id, name, fullname} (CKAN 1.6's format)."""

    def get(self, request):
        q = self.param("q")
        if not q:
            return Response([])
        users = self.call("user_autocomplete", {"q": q, "limit": self.limit()})
        return Response([{"id": u.get("id"), "name": u.get("name"), "fullname": u.get("fullname")} for u in users])


def _name(item, key="name"):
    return item.get(key) if isinstance(item, dict) else item


class Markdown(UtilView):
    """Markdown in `q` rendered as sanitised HTML, answered as a JSON string."""

    def get(self, request):
        return Response(render_markdown(self.param("q")))


class IsSlugValid(UtilView):
    """Is `slug` a valid, unused name for a new dataset (`type=package`) or group (`type=group`)?"""

    MODELS = {"package": Package, "dataset": Package, "group": Group}

    def get(self, request):
        kind = self.param("type", required=True)
        if kind not in self.MODELS:
            raise ParameterError(f"Bad slug type: {kind!r} (use package or group)")
        slug = self.param("slug")
        valid = not name_errors(slug) and not self.MODELS[kind].objects.filter(name=slug).exists()
        return Response({"valid": valid})


class MungeName(UtilView):
    """A readable identifier made into a valid dataset name (?name=police%20spending%202009)."""

    def get(self, request):
        return Response(munge.munge_name(self.param("name", required=True)))


class MungeTitleToName(UtilView):
    """A title made into a valid dataset name; a shortened long title keeps its trailing year."""

    def get(self, request):
        return Response(munge.munge_title_to_name(self.param("title", required=True)))


class MungeTag(UtilView):
    """A word or phrase made into a valid tag (?tag=water%20quality)."""

    def get(self, request):
        return Response(munge.munge_tag(self.param("tag", required=True)))


class Status(UtilView):
    """The site's version and address, as CKAN 1.6's /api/util/status gave them."""

    def get(self, request):
        return Response(
            {
                "ckan_version": "1.6",
                "site_url": settings.CKAN_SITE_URL,
                "site_title": getattr(settings, "CKAN_SITE_TITLE", "CKAN"),
                "site_description": getattr(settings, "CKAN_SITE_DESCRIPTION", ""),
                "locale_default": "en",
                "extensions": [],
            }
        )


ROUTES = [
    ("dataset/autocomplete", DatasetAutocomplete, "dataset-autocomplete"),
    ("tag/autocomplete", TagAutocomplete, "tag-autocomplete"),
    ("resource/format_autocomplete", FormatAutocomplete, "format-autocomplete"),
    ("user/autocomplete", UserAutocomplete, "user-autocomplete"),
    ("markdown", Markdown, "markdown"),
    ("is_slug_valid", IsSlugValid, "is-slug-valid"),
    ("dataset/munge_name", MungeName, "munge-name"),
    ("dataset/munge_title_to_name", MungeTitleToName, "munge-title-to-name"),
    ("tag/munge", MungeTag, "munge-tag"),
    ("status", Status, "status"),
]

# (URL prefix, API version, URL name prefix)
PREFIXES = [("api/util", 1, "util"), ("api/1/util", 1, "util1"), ("api/2/util", 2, "util2")]

urlpatterns = [
    path(f"{prefix}/{suffix}", view.as_view(api_version=version), name=f"{label}-{name}")
    for prefix, version, label in PREFIXES
    for suffix, view, name in ROUTES
]
