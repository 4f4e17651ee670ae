"""Search actions: package_search (the index) and resource_search (the database).

Every public function here is an Action API action (see catalog.logic.registry);
helpers start with `_`.
"""
from catalog.logic import check_access
from searchapi import answers, resources


def package_search(context, data_dict):
    """Search the datasets.

    Accepts CKAN 1.6's Solr parameters and the older 1.5 spellings; where
    both are given the Solr one wins.

    :param q: the query, in Solr syntax: words, "phrases", ``field:value``,
        AND/OR/NOT, ``+``/``-``, parentheses, ``term^2`` boosts,
        ``prefix*`` and ``wi?d*ards``, ``[a TO b]`` ranges on exact fields,
        ``*:*`` (default: everything). Without ``field:`` syntax, words and
        phrases are searched in the weighted fields of ``qf`` as CKAN does
        (one or two words: all must match; three to five: all but one; more:
        80%, see ``mm``); with it, unqualified words search the full text.
        Fuzzy and proximity searches (``~``) and regular expressions are
        refused.
    :type q: string
    :param qf: the fields free text searches and their weights (default
        ``name^4 title^4 tags^2 groups^2 text``, the setting
        CKAN_SEARCH_QUERY_FIELDS)
    :type qf: string
    :param mm: how many of the words of free text must match, in Solr's
        minimum-should-match syntax (default ``2<-1 5<80%``)
    :type mm: string
    :param defType: ``dismax`` (default: free text weighted unless the query
        has field syntax), ``edismax`` (unqualified words weighted even beside
        fields) or ``lucene`` (never weighted)
    :type defType: string
    :param fq: a filter query (same syntax), or a list of them
    :type fq: string
    :param fields: (1.5) field filters, ``{field: value}``; a list value
        means every value must match
    :type fields: dict
    :param rows: the page size (default 20, capped at the setting CKAN_SEARCH_ROWS_MAX, 1000 by default); ``limit`` in 1.5
    :type rows: int
    :param start: the offset of the page's first result; ``offset`` in 1.5
    :type start: int
    :param sort: e.g. ``name asc`` or ``metadata_modified desc, name asc``
        (default: relevance, then most recently modified)
    :type sort: string
    :param facet: whether to count facets (default true)
    :type facet: bool
    :param facet.field: the fields to count values of, e.g. ``["tags",
        "res_format"]`` (a list or a JSON list); ``facet_by`` in 1.5
    :type facet.field: list of strings
    :param facet.limit: values per facet, most frequent first (default 50,
        -1 for all)
    :type facet.limit: int
    :param facet.mincount: the least count a value needs (default 1)
    :type facet.mincount: int

    :returns: ``{"count": total matches, "results": [dataset dicts as
        package_show gives them], "facets": {field: {value: count}}}``
    :rtype: dictionary
    """
    check_access("package_search", context, data_dict)
    # The Action API's answers are kept, its results passed through as stored JSON
    # (searchapi.answers); Python callers get dicts of their own.
    if context.get("json_passthrough"):
        return answers.kept(data_dict)
    return answers.compute(data_dict, passthrough=False)


def resource_search(context, data_dict):
    """Search the resources of active datasets.

    :param fields: ``{field: value}`` (or a list of values, all of which must
        match); fields are resource columns (url, format, description, hash,
        name, resource_type, mimetype, ...). Values match as case-insensitive
        substrings, except ``hash``, which matches as a prefix.
    :type fields: dict
    :param order_by: a resource field to sort on (default: by dataset, then
        position)
    :type order_by: string
    :param offset: how many results to skip (default 0)
    :type offset: int
    :param limit: the page size (default 20, capped at the setting CKAN_SEARCH_ROWS_MAX, 1000 by default)
    :type limit: int

    :returns: ``{"count": total matches, "results": [resource dicts]}``
    :rtype: dictionary
    """
    check_access("resource_search", context, data_dict)
    page, count = resources.resource_page(data_dict)
    from catalog.logic.dictization import resource_dictize

    return {"count": count, "results": [resource_dictize(r) for r in page]}
