"""docker-compose.yml as data (no Docker engine here): pinned images, security on, every credential
from .env, every service the deployment needs."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
ENV_EXAMPLE = {
    line.split("=", 1)[0]
    for line in (ROOT / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
}


def test_deployment_has_elasticsearch_kibana_postgres_and_the_four_airflow_components():
    assert {
        "elasticsearch",
        "kibana",
        "kibana-import",
        "postgres",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
    } <= set(SERVICES)
    commands = {
        name: SERVICES[name]["command"]
        for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")
    }
    assert commands == {
        "airflow-apiserver": "api-server",
        "airflow-scheduler": "scheduler",
        "airflow-dag-processor": "dag-processor",
        "airflow-triggerer": "triggerer",
    }


def test_elasticsearch_and_kibana_are_pinned_to_the_clients_major_version():
    assert SERVICES["elasticsearch"]["image"] == "docker.elastic.co/elasticsearch/elasticsearch:9.5.2"
    assert SERVICES["kibana"]["image"] == "docker.elastic.co/kibana/kibana:9.5.2"
    assert (ROOT / "deploy" / "Dockerfile").read_text().count("FROM apache/airflow:3.3.2-python3.11") == 1


def test_every_image_has_an_explicit_version_tag():
    images = {name: s["image"] for name, s in SERVICES.items() if "image" in s}
    assert {name: image for name, image in images.items() if not re.search(r":\d[\w.-]*$", image)} == {}


def test_elasticsearch_security_is_on_and_kibana_uses_kibana_system():
    assert SERVICES["elasticsearch"]["environment"]["xpack.security.enabled"] == "true"
    assert SERVICES["kibana"]["environment"]["ELASTICSEARCH_USERNAME"] == "kibana_system"


def test_every_credential_comes_from_the_env_file_and_every_variable_is_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_]+)(?::-[^}]*)?\}", text))
    assert used - ENV_EXAMPLE == set()
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|KEY$", key):
                assert str(value).startswith("${"), f"{name}: {key} is not taken from .env"


def test_saved_objects_are_imported_by_a_one_shot_service_once_kibana_is_healthy():
    service = SERVICES["kibana-import"]
    assert "python -m pipeline kibana-import --url http://kibana:5601" in service["command"][0]
    assert service["depends_on"] == {"kibana": {"condition": "service_healthy"}}
    assert service["restart"] == "no"
