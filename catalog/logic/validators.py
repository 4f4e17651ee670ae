"""Validation rules shared by every schema, with CKAN 1.6's messages.

Each function checks one value and returns a list of messages (empty when the
value is valid), so schemas can collect every problem of every field at once.
"""
import re

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 100
TAG_MIN_LENGTH = 2
TAG_MAX_LENGTH = 100
VERSION_MAX_LENGTH = 100
PASSWORD_MIN_LENGTH = 4
RATING_MIN, RATING_MAX = 1, 5

NAME_RE = re.compile(r"^[a-z0-9_\-]*$")
TAG_RE = re.compile(r"^[\w \-.]*$", re.UNICODE)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
EXTRA_KEY_MAX_LENGTH = 200
RESERVED_NAMES = {"new", "edit", "search"}


def name_errors(value):
    """A dataset, group or user name: 2–100 characters of a-z, 0-9, - and _."""
    if not isinstance(value, str):
        return ["Must be a string"]
    errors = []
    if len(value) < NAME_MIN_LENGTH:
        errors.append(f"Name must be at least {NAME_MIN_LENGTH} characters long")
    if len(value) > NAME_MAX_LENGTH:
        errors.append(f"Name must be a maximum of {NAME_MAX_LENGTH} characters long")
    if not NAME_RE.match(value):
        errors.append("Url must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")
    if value in RESERVED_NAMES:
        errors.append(f"The name {value!r} is reserved")
    return errors


def tag_errors(value):
    """A tag name: 2–100 characters of letters, digits, spaces and - _ ."""
    if not isinstance(value, str):
        return ["Tag must be a string"]
    errors = []
    if len(value) < TAG_MIN_LENGTH:
        errors.append(f'Tag "{value}" length is less than minimum {TAG_MIN_LENGTH}')
    if len(value) > TAG_MAX_LENGTH:
        errors.append(f'Tag "{value[:TAG_MAX_LENGTH]}..." length is more than maximum {TAG_MAX_LENGTH}')
    if not TAG_RE.match(value):
        errors.append(f'Tag "{value}" must be alphanumeric characters or symbols: -_.')
    return errors


def version_errors(value):
    if value is None:
        return []
    if not isinstance(value, str):
        return ["Must be a string"]
    if len(value) > VERSION_MAX_LENGTH:
        return [f"Version must be a maximum of {VERSION_MAX_LENGTH} characters long"]
    return []


def email_errors(value):
    """An email address, when one is given: something@somewhere, no spaces."""
    if value in (None, ""):
        return []
    if not isinstance(value, str):
        return ["Must be a string"]
    if not EMAIL_RE.match(value.strip()):
        return [f"Email {value!r} is not a valid format"]
    return []


def password_errors(value):
    if not isinstance(value, str) or not value:
        return ["Missing value"]
    if len(value) < PASSWORD_MIN_LENGTH:
        return [f"Your password must be {PASSWORD_MIN_LENGTH} characters or longer"]
    return []


def extra_key_errors(value):
    if not isinstance(value, str) or not value.strip():
        return ["Missing value"]
    if len(value) > EXTRA_KEY_MAX_LENGTH:
        return [f"Key must be a maximum of {EXTRA_KEY_MAX_LENGTH} characters long"]
    return []


def rating_errors(value):
    """A rating: a whole number from 1 to 5 (a numeric string is accepted)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return [f"Rating must be an integer value between {RATING_MIN} and {RATING_MAX}"]
    # The range test comes first: NaN and infinity fail it, and int() would raise on them.
    if isinstance(value, bool) or not RATING_MIN <= number <= RATING_MAX or number != int(number):
        return [f"Rating must be between {RATING_MIN} and {RATING_MAX}"]
    return []


def text_errors(value, *, allow_none=True):
    """A free-text field: a string (or null when allowed)."""
    if value is None and allow_none:
        return []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return []
    if not isinstance(value, str):
        return ["Must be a string"]
    return []
