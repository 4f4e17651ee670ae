"""Reading simple parameters (numbers, flags) from a data dict, as JSON or as query strings."""
from catalog.logic.errors import ValidationError

TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off", ""}


# Larger numbers cannot reach the database (SQLite integers are 64-bit).
MAXIMUM = 2**31 - 1
# The longest text a search or autocomplete matches on: longer patterns are no
# real search, and SQLite refuses a LIKE pattern over 50,000 bytes.
SEARCH_TEXT_MAX_LENGTH = 1000


def int_param(data_dict, key, default=None, *, minimum=0, maximum=MAXIMUM):
    """The integer under `key` (a number or a numeric string), `default` when absent."""
    value = data_dict.get(key)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise ValidationError({key: ["Invalid integer"]})
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({key: ["Invalid integer"]}) from None
    if isinstance(value, float) and value != number:
        raise ValidationError({key: ["Invalid integer"]})
    if number < minimum:
        raise ValidationError({key: [f"Must be at least {minimum}"]})
    if number > maximum:
        raise ValidationError({key: [f"Must be at most {maximum}"]})
    return number


def bool_param(data_dict, key, default=False):
    """The flag under `key`: JSON true/false, 1/0, or "true"/"false" (any case)."""
    value = data_dict.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE_VALUES | FALSE_VALUES:
        return value.strip().lower() in TRUE_VALUES
    raise ValidationError({key: ["Must be true or false"]})


def str_param(data_dict, key, default="", *, max_length=None):
    """The text under `key`; numbers become strings, anything else (or text over
    `max_length` characters) is a ValidationError."""
    value = data_dict.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationError({key: ["Must be a string"]})
    text = str(value)
    if max_length is not None and len(text) > max_length:
        raise ValidationError({key: [f"Must be at most {max_length} characters long"]})
    return text


def search_text_param(data_dict, key):
    """The text a search or autocomplete matches on (at most SEARCH_TEXT_MAX_LENGTH characters)."""
    return str_param(data_dict, key, max_length=SEARCH_TEXT_MAX_LENGTH)
