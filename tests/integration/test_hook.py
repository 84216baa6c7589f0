"""`BorderNewsHook` outside a task (where the view and the run-note listener run): a connection kept
in Airflow's metadata database, as `airflow connections add` stores it, decides the cluster."""

from __future__ import annotations

import pytest


@pytest.fixture
def stored_connection():
    from airflow.models.connection import Connection
    from airflow.utils.session import create_session

    conn_id = "border_news_es_hook_test"
    with create_session() as session:
        session.add(
            Connection(conn_id=conn_id, conn_type="elasticsearch", host="https://es.example.org", port=9243)
        )
    yield conn_id
    with create_session() as session:
        session.query(Connection).filter(Connection.conn_id == conn_id).delete()


def test_a_connection_in_the_metadata_database_wins_over_the_environment(stored_connection):
    from border_news_hook import BorderNewsHook

    env = {"ES_URL": "http://127.0.0.1:9", "BORDER_INDEX_PREFIX": "p"}
    s = BorderNewsHook(stored_connection, env=env).get_settings()
    assert (s.es_url, s.index_prefix) == ("https://es.example.org:9243", "p")
    assert BorderNewsHook("no_such_connection", env=env).get_settings().es_url == "http://127.0.0.1:9"
