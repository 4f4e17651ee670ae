"""The shipped Solr schema and the Whoosh schema describe the same fields."""
import xml.etree.ElementTree as ET
from pathlib import Path

from searchapi import fields as index_fields
from searchapi.analysis import MAX_TOKEN_LENGTH
from searchapi.backends import whoosh_schema

CONF = Path(__file__).resolve().parents[2] / "searchapi" / "solr" / "conf"
SOLR_KIND = {
    ("string", False): "string",
    ("string", True): "strings",
    ("text", False): "text",
    ("text", True): "texts",
}


def solr_fields():
    root = ET.parse(CONF / "schema.xml").getroot()
    found = {}
    for node in root.iter("field"):
        multi = node.get("multiValued") == "true"
        if node.get("indexed") == "false":
            found[node.get("name")] = "stored"
        else:
            found[node.get("name")] = SOLR_KIND.get((node.get("type"), multi), node.get("type"))
    return root, found


def test_solr_schema_has_every_field_of_the_table_with_its_kind():
    _, found = solr_fields()
    for name, kind in index_fields.FIELDS.items():
        assert found.get(name) == kind, name


def test_solr_schema_is_classic_and_keyed_by_the_haystack_id():
    root, found = solr_fields()
    assert root.find("uniqueKey").text == "index_id"
    assert {"django_ct", "django_id", "_version_"} <= set(found)
    assert [d.get("name") for d in root.iter("dynamicField")] == ["extras_*"]
    config = ET.parse(CONF / "solrconfig.xml").getroot()
    assert config.find("schemaFactory").get("class") == "ClassicIndexSchemaFactory"


def test_solr_schema_uses_only_classes_solr_5_to_9_all_have():
    root, _ = solr_fields()
    classes = {node.get("class") for node in root.iter() if node.get("class")}
    assert classes <= {
        "solr.StrField", "solr.TextField", "${ckan.solr.long.class:solr.LongPointField}",
        "solr.PatternTokenizerFactory", "solr.LowerCaseFilterFactory", "solr.ASCIIFoldingFilterFactory",
        "solr.SnowballPorterFilterFactory", "solr.LengthFilterFactory",
    }


def test_solr_drops_the_words_whoosh_drops():
    root, _ = solr_fields()
    (length,) = [node for node in root.iter("filter") if node.get("class") == "solr.LengthFilterFactory"]
    assert (length.get("min"), length.get("max")) == ("1", str(MAX_TOKEN_LENGTH))


def test_whoosh_schema_has_every_field_of_the_table():
    schema = whoosh_schema()
    for name in index_fields.FIELDS:
        assert name in schema, name
    assert "extras_department" in schema
