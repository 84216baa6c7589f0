"""The example downstream DAG, parsed and run for real with dag.test() against the real cluster."""

from __future__ import annotations

import pytest

from pipeline import index, subscriptions
from pipeline.assets import INDEX_ASSET_URI
from tests.conftest import ROOT
from tests.integration.articles import numbered_articles


@pytest.fixture
def dag(monkeypatch, settings):
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("ES_URL", settings.es_url)
    monkeypatch.setenv("BORDER_INDEX_PREFIX", settings.index_prefix)
    bag = DagBag(dag_folder=str(ROOT / "dags" / "border_news_downstream_example.py"))
    assert bag.import_errors == {}
    return bag.get_dag("border_news_downstream_example")


def test_downstream_dag_is_scheduled_on_the_index_asset(dag):
    assert [asset.name for asset in dag.timetable.asset_condition.objects] == [INDEX_ASSET_URI]


def test_downstream_dag_reads_only_what_is_new_since_its_last_run(dag, es, settings, capsys):
    index.index_articles(es, settings, numbered_articles("a", 3))
    first = dag.test()
    cursor_after_first = subscriptions.load_cursor(es, settings, "downstream-example")
    index.index_articles(es, settings, numbered_articles("b", 1))
    second = dag.test()
    out = capsys.readouterr().out
    assert (first.state, second.state) == ("success", "success")
    v1 = f"{settings.index_prefix}-v1"
    assert (cursor_after_first, subscriptions.load_cursor(es, settings, "downstream-example")) == (
        f"3@{v1}",
        f"4@{v1}",
    )
    assert out.count("new article #") == 4
    assert "new article #4: [hi] Border talks b 0 (outlet0.example)" in out
