"""Who may run each read action (same names as catalog.logic.action.get)."""
from catalog import authz


def _result(allowed, message=""):
    return {"success": bool(allowed), "msg": "" if allowed else message}


def site_read(context, data_dict):
    return _result(authz.check(context.get("user"), authz.SITE_READ), "Not authorized to read this site")
