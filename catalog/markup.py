"""Markdown rendered to safe HTML, for notes_rendered and the Util API.

Markdown first, then a whitelist sanitiser (nh3): no script, no style, no
event handlers, no javascript: URLs. Links open in a new window with
rel="nofollow"; `dataset:<name>` and `group:<name>` become links to their
pages, as CKAN 1.6 did.
"""
import functools
import re
import threading

import markdown as markdown_lib
import nh3
from django.conf import settings

_REFERENCE_RE = re.compile(r"(?<![\w/:])(dataset|package|group):([a-z0-9_\-]{2,100})\b")

_TAGS = {
    "a", "abbr", "acronym", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {"a": {"href", "title", "target"}, "abbr": {"title"}, "acronym": {"title"}}


def _link_references(text):
    def replace(match):
        kind, name = match.groups()
        path = "group" if kind == "group" else "dataset"
        return f"[{kind}:{name}]({settings.CKAN_SITE_URL}/{path}/{name})"

    return _REFERENCE_RE.sub(replace, text)


_local = threading.local()


def _markdown(text):
    """`markdown.markdown(text, output_format="html")`, with one converter per thread, reset
    between uses: building a converter (its processors and patterns) cost more than
    converting a dataset's notes, and every dataset write renders them."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(output_format="html")
    try:
        return converter.reset().convert(text)
    except BaseException:
        _local.converter = None  # never reuse a converter left half-way through a document
        raise


# Texts up to this long are remembered with their HTML (at most KEPT of them): a
# dataset's notes are rendered again by every write that touches the dataset (a
# resource added, a tag patched), and rendering is a tenth of such a write's time.
KEPT, KEPT_MAX_LENGTH = 256, 32_768


def render_markdown(text):
    """Markdown `text` as sanitised HTML (an empty string for empty input)."""
    if not text:
        return ""
    text = str(text)
    if len(text) <= KEPT_MAX_LENGTH:
        return _kept_render(text, settings.CKAN_SITE_URL)
    return _render(text)


@functools.lru_cache(maxsize=KEPT)
def _kept_render(text, site_url):
    return _render(text)  # site_url is part of the key: references link to it


def _render(text):
    html = _markdown(_link_references(text))
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "ftp"},
        link_rel="nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )
