"""Argument checks of `subscriptions` and `follow`, made while parsing, before any request (pure: the
parser alone; an argument it let through would reach Elasticsearch as a raw request)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.__main__ import build_parser
from pipeline.changes import parse_cursor
from pipeline.subscription_store import MAX_NAME_CHARS, check_name


@given(st.text(max_size=700))
@settings(max_examples=300, deadline=None)
def test_any_name_is_accepted_within_bounds_or_refused_with_a_clear_error(name):
    try:
        accepted = check_name(name)
    except ValueError as exc:
        assert "a subscription name is 1-128 letters" in str(exc)
        assert len(str(exc)) < 400  # a 700-character name is not echoed whole
        return
    assert accepted == name
    assert 1 <= len(name) <= MAX_NAME_CHARS
    assert len(name.encode("utf-8")) <= 512  # always a valid Elasticsearch document id
    assert name[0].isalnum() and "/" not in name and " " not in name


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_cursor_text_is_a_position_or_a_value_error(text):
    try:
        position = parse_cursor(text)
    except ValueError as exc:
        assert "not a change-feed cursor" in str(exc)
        return
    assert position.seq >= 0
    assert parse_cursor(str(position)) == position


@given(st.text(max_size=40))
@settings(max_examples=100, deadline=None)
def test_the_parser_takes_or_refuses_any_budget_and_name_without_crashing(value):
    parser = build_parser()
    for argv in (
        ["subscriptions", "deliver", "--budget", value],
        ["subscriptions", "parked", value],
        ["follow", "--cursor", value],
    ):
        try:
            parser.parse_args(argv)
        except SystemExit as exited:
            assert exited.code == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["subscriptions", "deliver", "--budget", "0"],
        ["subscriptions", "deliver", "--budget", "-5"],
        ["subscriptions", "deliver", "--budget", "99999"],
        ["subscriptions", "add", "n" * 600, "http://127.0.0.1:9/"],
        ["subscriptions", "add", "two words", "http://127.0.0.1:9/"],
        ["subscriptions", "redeliver", "-desk"],
        ["follow", "--cursor", "twelve"],
        ["follow", "--cursor", "²"],
        ["follow", "--poll", "-1"],
    ],
)
def test_bad_arguments_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2
    assert "error:" in capsys.readouterr().err
