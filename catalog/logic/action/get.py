"""Read actions: everything a client can ask without changing the catalog."""
from catalog.logic import check_access


def site_read(context, data_dict):
    """Return ``True`` if the site may be read by the caller.

    :rtype: boolean
    """
    check_access("site_read", context, data_dict)
    return True
