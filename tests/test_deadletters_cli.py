"""`deadletters` arguments are checked before any request is made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipeline.__main__ import main
from pipeline.redrive import parse_since


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--since", "yesterday"],
        ["list", "--since", "6 weeks"],
        ["list", "--size", "0"],
        ["list", "--size", "100001"],
        ["list", "--status", "gone"],
        ["retry", "--size", "-3"],
    ],
)
def test_bad_arguments_stop_before_any_request(monkeypatch, capsys, argv):
    monkeypatch.setenv("ES_URL", "http://127.0.0.1:9")  # nothing listens: a request would fail otherwise
    with pytest.raises(SystemExit) as info:
        main(["deadletters", *argv])
    assert info.value.code == 2 and "Connection" not in capsys.readouterr().err


def test_retry_needs_ids_or_all_matching(monkeypatch, capsys):
    monkeypatch.setenv("ES_URL", "http://127.0.0.1:9")
    assert main(["deadletters", "retry", "--stage", "fetch"]) == 1
    assert "give the ids of the records to retry, or --all-matching" in capsys.readouterr().err


def test_since_takes_dates_times_and_ages():
    assert parse_since("2026-12-01") == "2026-12-01T00:00:00+00:00"
    assert parse_since("2026-12-01T06:30:00Z") == "2026-12-01T06:30:00+00:00"
    six_hours = datetime.fromisoformat(parse_since("6h"))
    assert abs(datetime.now(UTC) - timedelta(hours=6) - six_hours) < timedelta(seconds=5)
    assert datetime.fromisoformat(parse_since("2d")) < datetime.now(UTC) - timedelta(days=1, hours=23)
