"""Template helpers of the public pages: human dates and links that keep a search's state.

Dates reach the pages as the actions give them (CKAN's ISO 8601 in UTC,
without an offset). A reader wants "3 hours ago" or "1 Dec 2026"; the exact
instant stays in the `<time datetime>` element (and its tooltip) for
machines and the curious.
"""
import html
from datetime import datetime, timedelta, timezone

from django import template
from django.utils import timezone as django_timezone
from django.utils.html import format_html, strip_tags
from django.utils.timesince import timesince

from catalog.logic import new_context
from catalog.logic.errors import NotAuthorized, NotFound
from catalog.logic.registry import get_action
from catalog.markup import render_markdown

register = template.Library()

# Within this, a date reads as a distance ("3 hours ago"); older, as a date.
RECENT = timedelta(days=7)


def as_utc(value):
    """A datetime (aware or naive UTC) or CKAN's ISO string as an aware UTC datetime; None if unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def human_text(moment, now):
    """'just now', '3 hours ago' within RECENT of `now`, else '1 Dec 2026'."""
    age = now - moment
    if timedelta(0) <= age < timedelta(minutes=1):
        return "just now"
    if timedelta(0) <= age < RECENT:
        # timesince's first unit only: "3 hours", not "3 hours, 2 minutes".
        return f"{timesince(moment, now, depth=1)} ago"
    return f"{moment.day} {moment:%b %Y}"


@register.filter
def human_time(value):
    """`<time datetime="2026-12-01T13:37:28Z" title="...">3 hours ago</time>`, or "" for no date."""
    moment = as_utc(value)
    if moment is None:
        return value or ""
    iso = moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        iso,
        moment.strftime("%Y-%m-%d %H:%M:%S UTC"),
        human_text(moment, django_timezone.now()),
    )


@register.filter
def plain_text(markdown_text):
    """Markdown notes as the words a reader sees (no `**`, no markup): for excerpts in lists."""
    # strip_tags leaves entities (&amp;) behind; unescaped here, the template escapes the text once.
    return html.unescape(strip_tags(render_markdown(markdown_text or ""))).strip()


@register.filter
def formats(dataset):
    """The distinct formats of a dataset dict's resources, in the order they first appear."""
    seen = []
    for resource in dataset.get("resources") or []:
        value = (resource.get("format") or "").strip()
        if value and value not in seen:
            seen.append(value)
    return seen


@register.inclusion_tag("catalog/_user_activity.html", takes_context=True)
def user_activity(context, profile):
    """A user's datasets and recent edits, from the `user_show` action, as the page's visitor sees them.

    A tag rather than the user page's view: that page belongs to `accounts`,
    which knows nothing of the catalog (docs/architecture.md); its template
    asks for this part by name, so the catalog's rules stay in its actions.
    """
    request = context.get("request")
    viewer = getattr(request, "user", None)
    try:
        shown = get_action("user_show")(
            new_context(user=viewer, ip=request.META.get("REMOTE_ADDR", "") if request else ""), {"id": profile.name}
        )
    except (NotFound, NotAuthorized):
        shown = {}
    return {"profile": profile, "datasets": shown.get("datasets") or [], "edits": shown.get("activity") or []}
