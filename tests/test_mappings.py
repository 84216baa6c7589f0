"""Every index mapping file under pipeline/data/: what holds for all of them (pure, no Elasticsearch;
tests/integration/test_index_contract.py creates an index from each on the real cluster)."""

from __future__ import annotations

import json

import pytest

from pipeline import mappings

FIELD_TYPES = {
    "keyword",
    "text",
    "date",
    "long",
    "integer",
    "float",
    "double",
    "boolean",
    "object",
    "nested",
    "geo_point",
    "short",
    "byte",
    "half_float",
    "scaled_float",
    "wildcard",
    "flattened",
    "date_nanos",
    "ip",
}
# The mappings the modules load: each must be a file (the raw, runs and stories indices have their own).
LOADED_HERE = {"v1", "state", "deadletter", "subscriptions", "deliveries", "cursors", "sequence"}


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert duplicates == [], f"keys given twice (the last would silently win): {duplicates}"
    return dict(pairs)


def _fields(properties: dict, prefix: str = ""):
    for name, spec in properties.items():
        yield f"{prefix}{name}", spec
        yield from _fields(spec.get("properties", {}), f"{prefix}{name}.")


def test_every_mapping_the_modules_load_is_a_file():
    assert LOADED_HERE <= set(mappings.mapping_names())


@pytest.mark.parametrize("name", mappings.mapping_names())
def test_mapping_file_parses_without_duplicate_keys_and_says_what_it_is(name):
    text = (mappings.DATA_DIR / f"mapping-{name}.json").read_text(encoding="utf-8")
    mapping = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    assert mapping == mappings.load_mapping(name)
    assert isinstance(mapping["_meta"]["about"], str) and mapping["_meta"]["about"].strip()


@pytest.mark.parametrize("name", mappings.mapping_names())
def test_mapping_is_strict_or_says_why_not(name):
    mapping = mappings.load_mapping(name)
    if mapping.get("dynamic") != "strict":
        reason = mapping["_meta"].get("why_not_strict", "")
        assert len(reason.split()) >= 8, f"mapping-{name}.json is not strict and does not say why"


@pytest.mark.parametrize("name", mappings.mapping_names())
def test_every_field_has_a_known_type_or_sub_properties(name):
    mapping = mappings.load_mapping(name)
    if mapping.get("enabled") is False:  # nothing indexed: a document read by id only
        assert "properties" not in mapping
        return
    bad = {
        path: spec
        for path, spec in _fields(mapping["properties"])
        if not (spec.get("type") in FIELD_TYPES or ("type" not in spec and "properties" in spec))
    }
    assert bad == {}


@pytest.mark.parametrize("name", mappings.mapping_names())
def test_fields_kept_out_of_the_index_are_also_kept_out_of_doc_values_unless_aggregated(name):
    """A keyword with `index: false` and no doc_values is stored only (secrets, validators); one that
    says `doc_values: false` must also say `index: false` or it could be searched but not sorted."""
    mapping = mappings.load_mapping(name)
    odd = [
        path
        for path, spec in _fields(mapping.get("properties", {}))
        if spec.get("doc_values") is False and spec.get("index") is not False
    ]
    assert odd == []


def test_a_missing_mapping_is_an_error_that_names_the_file():
    with pytest.raises(FileNotFoundError, match="mapping-nope.json"):
        mappings.load_mapping("nope")


def test_each_call_gives_a_fresh_copy():
    first = mappings.load_mapping("subscriptions")
    first["properties"].clear()
    assert "secret_sealed" in mappings.load_mapping("subscriptions")["properties"]
