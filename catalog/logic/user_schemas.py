"""Validation of user dicts: CKAN 1.6's user schemas as plain functions.

The result holds only the keys the client sent (and may set): name, email,
password, fullname, about. Keys a user read returns (id, apikey, created,
counts...) and other unknown keys are ignored, as 1.6 ignored them; the API
key and the reset key can never be set this way.
"""
from catalog.logic import validators
from catalog.logic.errors import ValidationError
from catalog.models import RoleAssignment

# Names of the pseudo-users roles are granted to: no real user may take them.
RESERVED_USER_NAMES = set(RoleAssignment.PSEUDO_USERS)
NAME_TAKEN = "That login name is not available."
ABOUT_SPAM = "Edit not allowed as it looks like spam. Please avoid links in your description."
TEXT_FIELDS = ["fullname", "about"]


def _text(value):
    if value is None:
        return "", []
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, ["Must be a string"]
    return str(value), []


def _known_hash(encoded):
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, identify_hasher

    if encoded.startswith(UNUSABLE_PASSWORD_PREFIX):  # a user without a password (API key only)
        return True
    try:
        # decode() reads the hash as a login would: a malformed one must not reach login.
        identify_hasher(encoded).decode(encoded)
    except (ValueError, TypeError, IndexError):
        return False
    return True


def validate_user(data, *, user=None, password_hash_allowed=False):
    """The cleaned user dict; `user` is the user being updated (None on create).

    On create name, email and password are required; on update only email is
    (as in CKAN 1.6), and an empty password means "unchanged". With
    `password_hash_allowed` (a sysadmin creating a user), a `password_hash`
    Django recognises may stand in for the password (loading a dumped catalog).
    """
    from accounts.models import User

    if not isinstance(data, dict):
        raise ValidationError({"message": ["A user must be a JSON object"]})
    errors, cleaned = {}, {}

    def add(field, messages):
        if messages:
            errors.setdefault(field, []).extend(messages)

    name = data.get("name")
    if name in (None, ""):
        if user is None:
            add("name", ["Missing value"])
    else:
        messages = validators.name_errors(name)
        if not messages and name in RESERVED_USER_NAMES:
            messages = [NAME_TAKEN]
        if not messages:
            taken = User.objects.filter(name=name)
            if user is not None:
                taken = taken.exclude(pk=user.pk)
            if taken.exists():
                messages = [NAME_TAKEN]
        add("name", messages)
        cleaned["name"] = name

    email = data.get("email")
    if email in (None, ""):
        add("email", ["Missing value"])
    else:
        add("email", validators.email_errors(email))
        cleaned["email"] = email.strip() if isinstance(email, str) else email

    password = data.get("password")
    password_hash = data.get("password_hash") if password_hash_allowed and user is None else None
    if password in (None, "") and password_hash is not None:
        # An empty hash is a user without a password (API key only), as Django stores it.
        if not isinstance(password_hash, str) or (password_hash and not _known_hash(password_hash)):
            add("password_hash", ["Not a password hash this site can read"])
        else:
            cleaned["password_hash"] = password_hash
    elif password in (None, ""):
        if user is None:
            add("password", ["Missing value"])
    else:
        add("password", validators.password_errors(password))
        cleaned["password"] = password

    for field in TEXT_FIELDS:
        if field in data:
            value, messages = _text(data[field])
            add(field, messages)
            cleaned[field] = value
    about = cleaned.get("about") or ""
    if "http://" in about or "https://" in about:
        add("about", [ABOUT_SPAM])

    if errors:
        raise ValidationError(errors)
    return cleaned
