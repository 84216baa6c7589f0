"""Search arguments checked before any request (caps, dates, sizes), and entities found in what a
reader types, in either script. No Elasticsearch: the queries are only built."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.__main__ import build_parser
from pipeline.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    MAX_SIZE,
    Filters,
    QueryError,
    check_query,
    es_query,
    highlight_query,
    parse_since,
    parse_size,
)
from pipeline.search_entities import named_entities, resolve_entity

RELATIVE = re.compile(r"^\d+[mhdwMy]$")


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "--since", "yesterday", "x"],
        ["search", "--size", "-1"],
        ["search", "--size", "100000"],
        ["search", "--size", "ten"],
        ["search", "word " * (MAX_QUERY_TERMS + 1)],
        ["stories", "--since", "last week"],
        ["stories", "--size", "0"],
        ["stories", "follow", "--cursor", "abc"],
    ],
)
def test_bad_arguments_are_usage_errors_before_any_request(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 2
    assert "error: argument" in capsys.readouterr().err


@given(st.integers(min_value=1, max_value=MAX_SIZE))
def test_every_size_in_range_is_taken(size):
    assert parse_size(str(size)) == size


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_SIZE + 1)))
def test_every_size_out_of_range_is_refused(size):
    with pytest.raises(QueryError, match=f"give 1 to {MAX_SIZE}"):
        parse_size(str(size))


@given(st.integers(min_value=0, max_value=100_000), st.sampled_from("mhdwMy"))
def test_relative_spans_are_taken(n, unit):
    assert parse_since(f"{n}{unit}") == f"{n}{unit}"


@given(st.datetimes(timezones=st.sampled_from([None])))
def test_iso_dates_and_times_are_taken(when):
    assert parse_since(when.date().isoformat()) == when.date().isoformat()
    assert parse_since(when.isoformat()) == when.isoformat()


@given(st.text(max_size=30))
def test_since_is_either_taken_as_given_or_refused_with_a_clear_message(value):
    try:
        taken = parse_since(value)
    except QueryError as exc:
        assert "ISO date" in str(exc) or "at most" in str(exc)
    else:
        assert taken == value.strip()


@given(st.text(max_size=MAX_QUERY_CHARS + 200))
def test_queries_are_refused_over_the_caps_and_taken_under_them(query):
    terms = len(query.split()) + len(re.findall(r'["|+*()~]|(?:^|\s)-', query))
    if len(query) > MAX_QUERY_CHARS or terms > MAX_QUERY_TERMS:
        with pytest.raises(QueryError, match="at most"):
            check_query(query)
    else:
        check_query(query)


def test_a_long_query_is_refused_before_a_query_is_built():
    with pytest.raises(QueryError, match=f"at most {MAX_QUERY_CHARS}"):
        es_query(Filters(query="x" * (MAX_QUERY_CHARS + 1)))


@pytest.mark.parametrize(
    "value", ["Rajnath Singh", "राजनाथ सिंह", "rajnath singh", "Rajnat Singh", "person/rajnath-singh"]
)
def test_entity_values_in_either_script_or_misspelt_resolve_to_one_id(value):
    assert resolve_entity(value) == "person/rajnath-singh"


def test_unknown_or_tiny_values_resolve_to_nothing():
    assert [resolve_entity(v) for v in ("", "xq", "Zzyzx Qwerty Blorp")] == [None, None, None]


def test_names_in_free_text_are_found_longest_first_and_weak_aliases_name_nobody():
    assert [n.id for n in named_entities("Rajnath Singh Dong Jun talks")] == [
        "person/rajnath-singh",
        "person/dong-jun",
    ]
    assert [n.id for n in named_entities("Singh said")] == []


def test_a_query_naming_entities_also_matches_their_ids_with_the_other_words_as_text():
    query = es_query(Filters(query="Rajnath Singh Dong Jun talks"))["bool"]["must"][0]
    text, entity = query["bool"]["should"]
    assert text["simple_query_string"]["query"] == "Rajnath Singh Dong Jun talks"
    ids = [c["constant_score"]["filter"]["term"]["entity_ids"] for c in entity["bool"]["must"][:2]]
    assert ids == ["person/rajnath-singh", "person/dong-jun"]
    assert entity["bool"]["must"][2]["simple_query_string"]["query"] == "talks"


def test_a_query_with_operators_is_taken_as_text_only():
    query = es_query(Filters(query='"Rajnath Singh" -Jun'))["bool"]["must"][0]
    assert list(query) == ["simple_query_string"]


def test_highlights_cover_the_aliases_of_named_and_filtered_entities():
    marked = highlight_query(Filters(entities=("राजनाथ सिंह",)))
    phrases = {c["multi_match"]["query"] for c in marked["bool"]["should"]}
    assert "Rajnath Singh" in phrases and any(re.search("[\u0900-\u097f]", p) for p in phrases)
