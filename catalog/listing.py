"""The dataset lists of the pages (/dataset, /tag/<name>, /group/<name>): one package_search call each.

A page's search is a handful of request parameters: `q`, a facet filter per
facet field (`tags`, `groups`, `res_format`, `license_id`, each repeatable:
every value given must match), `sort` and `page`. They become the
`package_search` action's own parameters (the filters its `fields`), so a
page shows exactly what the API answers for the same search; this module
only reads the request, and turns the answer's facets and count into links.
"""
from urllib.parse import urlencode

from django import forms

from catalog.licenses import get_license
from catalog.logic.errors import NotAuthorized, SearchError, SearchQueryError, ValidationError
from catalog.logic.registry import get_action

PAGE_SIZE = 20
# Page numbers stop here (400 000 datasets at 20 a page): a page number is
# an offset into the index, and a bot walking to page 10^12 must not make the
# engine collect that many results.
MAX_PAGE = 20_000
FACET_LIMIT = 10
# (parameter and index field, heading), in the order the sidebar shows them.
FACETS = [
    ("tags", "Tags"),
    ("groups", "Groups"),
    ("res_format", "Formats"),
    ("license_id", "Licenses"),
]
FACET_FIELDS = [name for name, _ in FACETS]
UNAVAILABLE = "Search is unavailable right now (the search engine did not answer); try again shortly."
SORTS = [
    ("", "Relevance"),
    ("metadata_modified desc", "Last modified"),
    ("name asc", "Name"),
    ("metadata_created desc", "Newest"),
]


class PageForm(forms.Form):
    """The page number of a list; its errors name the parameter."""

    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)


class SearchForm(PageForm):
    """The search box, sort and page of a dataset list."""

    q = forms.CharField(required=False, max_length=1000, strip=True)
    sort = forms.ChoiceField(required=False, choices=SORTS)


def form_error(form):
    """A form's errors as one line that names each parameter: "page: Ensure this value is ..."."""
    return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())


class SearchPage:
    """One dataset list: the request's search, the action's answer, and the links around it.

    `fixed` holds the filters the page itself stands for (the tag of a tag
    page, the group of a group page): they are part of every search the page
    makes, and a link to /dataset from it keeps them as ordinary filters.
    """

    def __init__(self, request, context, fixed=None):
        self.request = request
        self.form = SearchForm(request.GET)
        self.fixed = dict(fixed or {})
        self.filters = {name: self._values(name) for name in FACET_FIELDS}
        self.error = ""
        self.unavailable = False
        self.count = 0
        self.results = []
        self.facet_counts = {}
        if not self.form.is_valid():
            self.error = form_error(self.form)
            return
        self.q = self.form.cleaned_data["q"]
        self.sort = self.form.cleaned_data["sort"]
        self.page = self.form.cleaned_data["page"] or 1
        data_dict = {
            "q": self.q,
            "fields": {name: values for name, values in self.filters.items() if values},
            "rows": PAGE_SIZE,
            "start": (self.page - 1) * PAGE_SIZE,
            "facet.field": FACET_FIELDS,
            "facet.limit": FACET_LIMIT,
        }
        if self.sort:
            data_dict["sort"] = self.sort
        try:
            answer = get_action("package_search")(context, data_dict)
        except (SearchQueryError, ValidationError, NotAuthorized) as exc:
            self.error = str(getattr(exc, "message", "") or exc)
            return
        except SearchError:  # the engine failed (and logged why): the request was fine
            self.error, self.unavailable = UNAVAILABLE, True
            return
        self.count = answer["count"]
        self.results = answer["results"]
        self.facet_counts = answer["facets"]

    @property
    def status(self):
        """503 when the engine failed, 400 when the request could not be searched (the page says why), else 200."""
        if self.unavailable:
            return 503
        return 400 if self.error else 200

    def _values(self, name):
        values = [v for v in self.request.GET.getlist(name) if v.strip()]
        if name in self.fixed and self.fixed[name] not in values:
            values.insert(0, self.fixed[name])
        return values

    # ------------------------------------------------------------- links

    def _state(self, filters=None, **overrides):
        """The query parameters of this search, with `filters` and `overrides` in place of its own."""
        pairs = []
        params = {"q": getattr(self, "q", ""), "sort": getattr(self, "sort", "")}
        params.update(overrides)
        if params.get("q"):
            pairs.append(("q", params["q"]))
        for name, values in (filters if filters is not None else self.filters).items():
            pairs.extend((name, value) for value in values)
        if params.get("sort"):
            pairs.append(("sort", params["sort"]))
        if params.get("page") and params["page"] > 1:
            pairs.append(("page", params["page"]))
        return urlencode(pairs)

    def search_url(self, filters):
        """/dataset with this search's words and sort, under `filters`, from page 1."""
        query = self._state(filters)
        return "/dataset" + (f"?{query}" if query else "")

    def page_url(self, page):
        """This page's own path at page `page` (its fixed filters are in its path, not its query)."""
        filters = {name: [v for v in values if self.fixed.get(name) != v] for name, values in self.filters.items()}
        query = self._state(filters, page=page)
        return self.request.path + (f"?{query}" if query else "")

    def toggled(self, name, value):
        """The filters with `value` of facet `name` added, or taken away if it is there."""
        filters = {key: list(values) for key, values in self.filters.items()}
        if value in filters[name]:
            filters[name].remove(value)
        else:
            filters[name].append(value)
        return filters

    # ------------------------------------------------------------- what the template shows

    def facets(self, group_titles):
        """[{name, title, items: [{value, label, count, active, url}]}] for the sidebar, active filters first."""
        shown = []
        for name, heading in FACETS:
            counts = dict(self.facet_counts.get(name) or {})
            for value in self.filters[name]:
                counts.setdefault(value, 0)
            items = [
                {
                    "value": value,
                    "label": facet_label(name, value, group_titles),
                    "count": count,
                    "active": value in self.filters[name],
                    "url": self.search_url(self.toggled(name, value)),
                }
                for value, count in counts.items()
            ]
            items.sort(key=lambda item: (not item["active"], -item["count"], item["label"].lower()))
            if items:
                shown.append({"name": name, "title": heading, "items": items})
        return shown

    def active_filters(self, group_titles):
        """The filters in force, each with the link that drops it."""
        return [
            {"name": name, "label": facet_label(name, value, group_titles), "url": self.search_url(self.toggled(name, value))}
            for name, _ in FACETS
            for value in self.filters[name]
        ]

    def pages(self):
        """{previous, next, number, last} links of this list (None where there is none)."""
        if self.error:
            return None
        last = max(1, min(MAX_PAGE, -(-self.count // PAGE_SIZE)))
        return {
            "number": self.page,
            "last": last,
            "previous": self.page_url(self.page - 1) if self.page > 1 else None,
            "next": self.page_url(self.page + 1) if self.page < last else None,
            "first": self.page_url(1) if self.page > last else None,
        }

    def sort_choices(self):
        current = getattr(self, "sort", "")
        return [{"value": value, "label": label, "selected": value == current} for value, label in SORTS]


def facet_label(name, value, group_titles):
    """What a facet value reads as: a group's title, a license's title, else the value itself."""
    if name == "groups":
        return group_titles.get(value) or value
    if name == "license_id":
        license = get_license(value)
        return license["title"] if license else value
    return value


def search_url(**filters):
    """/dataset filtered on one value per field, e.g. search_url(res_format="CSV"): the links of a dataset page."""
    return "/dataset?" + urlencode(filters)
