"""Who may run the search actions (same names as searchapi.logic): whoever may read the site."""
from catalog import authz


def _result(allowed, message=""):
    return {"success": bool(allowed), "msg": "" if allowed else message}


def package_search(context, data_dict):
    return _result(authz.check(context.get("user"), authz.SITE_READ), "Not authorized to search datasets")


def resource_search(context, data_dict):
    return _result(authz.check(context.get("user"), authz.SITE_READ), "Not authorized to search resources")
