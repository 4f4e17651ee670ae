"""The Model API v1/v2 (/api/rest, /api/1/rest, /api/2/rest) on Django REST framework.

Every view is a thin adapter: it reads the request, calls one action through
the registry with a context of its URL's API version, and returns the result.
"""
