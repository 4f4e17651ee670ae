"""The errors actions raise; each API surface maps them to a response in one place."""


class ActionError(Exception):
    """Base of every error an action raises on purpose."""

    error_type = "Error"

    def __init__(self, message=""):
        super().__init__(message)
        self.message = message


class NotFound(ActionError):
    error_type = "Not Found Error"


class NotAuthorized(ActionError):
    error_type = "Authorization Error"


class ValidationError(ActionError):
    """Invalid input; `error_dict` maps each failing field to a list of messages."""

    error_type = "Validation Error"

    def __init__(self, error_dict, message=""):
        if not isinstance(error_dict, dict):
            error_dict = {"message": [str(error_dict)]}
        self.error_dict = error_dict
        super().__init__(message or self._summary(error_dict))

    @staticmethod
    def _summary(error_dict):
        parts = []
        for field, messages in error_dict.items():
            if isinstance(messages, (list, tuple)):
                text = "; ".join(str(m) for m in messages)
            else:
                text = str(messages)
            parts.append(f"{field}: {text}")
        return ", ".join(parts)


class ParameterError(ActionError):
    error_type = "Parameter Error"


class SearchQueryError(ActionError):
    error_type = "Search Query Error"


class SearchError(ActionError):
    error_type = "Search Error"


class JSONError(ActionError):
    error_type = "JSON Error"
