"""Turning free text into valid names and tags (the Util API's munge helpers)."""
import re
import unicodedata

from catalog.logic.validators import NAME_MAX_LENGTH, NAME_MIN_LENGTH, TAG_MAX_LENGTH, TAG_MIN_LENGTH

_YEAR_RE = re.compile(r"^(.*?)[-_ ]?((?:19|20)\d\d)$")


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _pad(name, minimum):
    return name + "_" * (minimum - len(name)) if len(name) < minimum else name


def munge_name(name):
    """A readable identifier made into a valid dataset name: symbols and spaces become dashes."""
    name = _ascii(str(name)).lower().strip()
    name = re.sub(r"[ .:/]", "-", name)
    name = re.sub(r"[^a-z0-9_\-]", "", name)
    return _pad(name, NAME_MIN_LENGTH)[:NAME_MAX_LENGTH]


def munge_title_to_name(title):
    """A title made into a valid name; a long title keeps its trailing year."""
    name = _ascii(str(title)).lower().strip()
    name = re.sub(r"[^a-z0-9_\-]", "-", name)
    name = re.sub(r"-+", "-", name).strip("-")
    if len(name) > NAME_MAX_LENGTH:
        match = _YEAR_RE.match(name)
        if match:
            stem, year = match.groups()
            name = stem[: NAME_MAX_LENGTH - len(year) - 1].rstrip("-") + "-" + year
        else:
            name = name[:NAME_MAX_LENGTH].rstrip("-")
    return _pad(name, NAME_MIN_LENGTH)


def munge_tag(tag):
    """A word or phrase made into a valid tag: lowercase, spaces become dashes."""
    tag = str(tag).lower().strip()
    tag = re.sub(r"[^\w \-.]", "", tag, flags=re.UNICODE).replace(" ", "-")
    tag = re.sub(r"-+", "-", tag)
    return _pad(tag, TAG_MIN_LENGTH)[:TAG_MAX_LENGTH]
