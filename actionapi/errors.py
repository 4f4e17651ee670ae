"""One table from action errors to API responses, used by every surface."""
from catalog.logic import errors

# error class -> (Action API __type is the class's error_type, CKAN/REST status code)
STATUS_CODES = {
    errors.NotAuthorized: 403,
    errors.NotFound: 404,
    errors.ValidationError: 409,
    errors.ParameterError: 400,
    errors.SearchQueryError: 400,
    errors.SearchError: 409,
    errors.JSONError: 400,
}


# Validation messages under this key say a value has the wrong JSON type (a
# resource that is not an object): the body is malformed, a 400 as in CKAN 1.6.
SHAPE_ERROR_KEY = "__type"


def _message_keys(errors, key=None):
    """The field name each leaf message list of a (nested) error dict stands under."""
    if isinstance(errors, dict):
        for field, value in errors.items():
            yield from _message_keys(value, field)
    elif isinstance(errors, list) and any(isinstance(item, (dict, list)) for item in errors):
        for item in errors:
            yield from _message_keys(item, key)
    else:
        yield key


def is_shape_error(error):
    """Is this a ValidationError about the body's structure only, not its values?"""
    if not isinstance(error, errors.ValidationError):
        return False
    keys = set(_message_keys(error.error_dict))
    return keys == {SHAPE_ERROR_KEY}


def status_for(error):
    if is_shape_error(error):
        return 400
    for cls in type(error).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 500


def error_body(error):
    """The Action API's `error` object for an action error."""
    body = {"__type": error.error_type, "message": error.message}
    if isinstance(error, errors.ValidationError):
        body.update(error.error_dict)
    return body
