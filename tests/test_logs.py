"""What the pysolr logger still says: everything but Solr's refusals (a 4xx), which searchapi logs (searchapi.solr_nodes.DropRefusalRecords)."""
import logging

import pytest


def _pysolr_record(msg, *args, level=logging.ERROR):
    return logging.getLogger("pysolr").makeRecord("pysolr", level, __file__, 1, msg, args, None)


@pytest.mark.parametrize(
    "record, kept",
    [
        (_pysolr_record("Solr responded with an error (HTTP %s): %s", 400, "[Reason: unknown field 'x']"), False),
        (_pysolr_record("Solr responded with an error (HTTP %s): %s", "409", "[Reason: version conflict]"), False),
        (_pysolr_record("Solr responded with an error (HTTP %s): %s", 503, "[Reason: None]"), True),
        (_pysolr_record("Failed to connect to server at %s: %s", "http://127.0.0.1:1/solr/ckan/select/", "refused"), True),
    ],
)
def test_only_refusals_are_dropped(record, kept):
    logger = logging.getLogger("pysolr")  # as ckansite.settings.LOGGING configures it
    assert bool(logger.filter(record)) == kept
