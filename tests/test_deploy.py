"""deploy/ checked without a cluster or a Docker engine: the Kubernetes manifests against the Kubernetes JSON
schemas (kubernetes-validate, strict), then what an operator relies on in them, the compose file, the nginx
settings for Server-Sent Events and the systemd units."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from api.http_guard import DRAIN_SECONDS

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
KUBERNETES_VERSION = "1.30"


def _manifests() -> list[dict[str, Any]]:
    found = []
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def _kind(kind: str, name: str) -> dict[str, Any]:
    return next(m for m in _manifests() if m["kind"] == kind and m["metadata"]["name"] == name)


@pytest.mark.parametrize("manifest", _manifests(), ids=lambda m: f"{m['kind']}/{m['metadata']['name']}")
def test_each_manifest_is_valid_kubernetes(manifest):
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)  # raises ValidationError


def test_servers_are_probed_on_livez_and_readyz_and_roll_without_losing_capacity():
    web = _kind("Deployment", "tobeout-web")
    [container] = web["spec"]["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    grace = int(container["command"][container["command"].index("--grace") + 1])
    assert web["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > grace + 5  # preStop sleep + grace
    service = _kind("Service", "tobeout-web")
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]


def test_workers_migration_and_disruption_budgets():
    worker = _kind("Deployment", "tobeout-worker")
    [container] = worker["spec"]["template"]["spec"]["containers"]
    assert container["command"][:2] == ["tobeout", "worker"] and "--heartbeat-file" in container["command"]
    assert "/tmp/worker.alive" in " ".join(container["livenessProbe"]["exec"]["command"])
    assert container["resources"]["requests"]
    job = _kind("Job", "tobeout-migrate")
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["tobeout", "db", "upgrade"]
    for name, deployment in (("tobeout-web", "tobeout-web"), ("tobeout-worker", "tobeout-worker")):
        budget = _kind("PodDisruptionBudget", name)
        assert (
            budget["spec"]["selector"]["matchLabels"]
            == _kind("Deployment", deployment)["spec"]["selector"]["matchLabels"]
        )


def test_the_compose_file_starts_in_order_with_health_checks():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "nginx"}
    assert all("healthcheck" in services[name] for name in ("postgres", "redis", "web", "worker", "nginx"))
    assert services["migrate"]["command"] == ["tobeout", "db", "upgrade"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["web"]["environment"]["TOBEOUT_ENV"] == "production"


def test_nginx_passes_streams_unbuffered_and_forwards_the_client():
    conf = (DEPLOY / "nginx.conf").read_text()
    events = re.search(r"location = /api/events \{(.*?)\}", conf, re.S)
    assert events is not None
    assert "proxy_buffering off" in events.group(1) and "proxy_read_timeout 1h" in events.group(1)
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id", "Host"):
        assert f"proxy_set_header {header}" in conf
    assert "proxy_next_upstream error timeout http_502 http_503" in conf
    assert re.search(r"location = /metrics \{\s*return 404;", conf)


def test_nginx_closes_idle_upstream_connections_before_a_stopping_server_does():
    """A stopping server leaves an idle connection to the proxy for DRAIN_SECONDS; nginx must close its own
    sooner, or it may write a POST on one as the server closes it (502, never retried)."""
    upstream = re.search(r"upstream tobeout \{(.*?)\}", (DEPLOY / "nginx.conf").read_text(), re.S)
    assert upstream is not None
    idle = re.search(r"keepalive_timeout (\d+)s;", upstream.group(1))
    assert idle is not None and int(idle.group(1)) < DRAIN_SECONDS
    # and a server that refused a connection is not set aside (with 2 replicas, both could be at once: 502)
    assert re.search(r"^\s*server web:8000 resolve max_fails=0;", upstream.group(1), re.M)


@pytest.mark.parametrize("unit", ["tobeout-web.service", "tobeout-worker@.service"])
def test_systemd_units(unit):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string((DEPLOY / "systemd" / unit).read_text())
    service = parser["Service"]
    assert service["ExecStart"].split()[1] in ("serve", "worker")
    assert service["User"] == "tobeout" and service["Restart"] == "on-failure"
    assert service["EnvironmentFile"] == "/etc/tobeout/tobeout.env"
    assert parser["Install"]["WantedBy"] == "multi-user.target"
