"""One table from action errors to API responses, used by every surface."""
from django.conf import settings

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


# What the Action API and the Model API answer, as a 503, when the database fails
# inside an action or view: the request was fine, and may be sent again.
DATABASE_ERROR_TYPE = "Internal Error"
DATABASE_ERROR_MESSAGE = "The database could not complete the request; try again"


def retry_later(response):
    """`response` (a 503) with when to try again, as every 503 of the site says it."""
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


def status_for(error):
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
