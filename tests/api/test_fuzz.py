"""A bounded schemathesis run over ``/openapi.json`` of a real ``tobeout serve``: no input gets a 500,
and every answer, errors included, is one the document describes.

Every operation of the published schema is called with cases generated from it, valid ones
(positive) and invalid ones (negative), :data:`EXAMPLES` of each per operation, signed in with
an owner's API token. Each answer must have a documented status, content type, headers and
body (:data:`CONFORMANCE`). Sized for CI: about 1,900 requests, under a minute here. Excluded:
``/api/events`` (a stream that never ends), logout and token revocation (they would sign the
fuzzer out). Outside services point at a closed local port: their integrations may answer 502
(the service they name is unreachable), never 500.
"""

from __future__ import annotations

import collections
import contextlib

import httpx
import pytest

from tests.serving import free_port, service_env

EXAMPLES = 25
EXCLUDED = {("GET", "/api/events"), ("POST", "/api/auth/logout"), ("DELETE", "/api/auth/tokens/{token_id}")}
CLOSED = "http://127.0.0.1:9"  # the discard port: nothing answers


@pytest.fixture
def served(postgres_url, tmp_path, tobeout_servers):  # type: ignore[no-untyped-def]
    port = free_port()
    env = service_env(
        port,
        postgres_url,
        tmp_path / "var",
        TELEGRAM_API_BASE_URL=f"{CLOSED}/bot",
        TWILIO_API_BASE_URL=CLOSED,
        OPENAI_BASE_URL=CLOSED,
    )
    return tobeout_servers.start(port, env, tmp_path).base


def _owner_token(base: str) -> str:
    with httpx.Client(base_url=base, headers={"X-Requested-With": "XMLHttpRequest"}) as client:
        registered = client.post(
            "/api/auth/register",
            json={
                "email": "fuzz-owner@example.com",
                "password": "correct horse battery",
                "name": "Fuzz Owner",
                "restaurantName": "Fuzz Bistro",
            },
        )
        assert registered.status_code == 201, registered.text
        assert client.post("/api/tables", json={"name": "T1", "minGuests": 1, "maxGuests": 4}).status_code == 201
        return client.post("/api/auth/tokens", json={"name": "fuzzer"}).json()["token"]


def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(served, capsys):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import checks
    from schemathesis.core.failures import FailureGroup

    conformance = [
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_headers_conformance,
        checks.response_schema_conformance,
    ]
    base = served
    auth = {"Authorization": f"Bearer {_owner_token(base)}"}
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    statuses: collections.Counter[int] = collections.Counter()
    failures: list[tuple] = []
    undocumented: list[tuple] = []
    operations = 0

    def check(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(base_url=base, headers=auth, timeout=15)
        statuses[response.status_code] += 1
        path = case.operation.path
        upstream = response.status_code == 502 and path.startswith("/api/integrations/")
        if response.status_code >= 500 and not upstream:
            failures.append(
                (
                    case.method,
                    path,
                    response.status_code,
                    response.text[:300],
                    case.path_parameters,
                    case.query,
                    repr(case.body)[:300],
                )
            )
        try:
            case.validate_response(response, checks=conformance)
        except FailureGroup as group:
            undocumented.append(
                (
                    case.method,
                    path,
                    response.status_code,
                    response.text[:300],
                    [failure.title for failure in group.exceptions],
                    case.path_parameters,
                )
            )

    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED:
            continue
        operations += 1
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            run = settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(given(case=operation.as_strategy(generation_mode=mode))(check))
            with contextlib.suppress(Unsatisfiable):  # e.g. no invalid input exists for a GET without parameters
                run()
    total = sum(statuses.values())
    with capsys.disabled():
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        print(f"\nfuzz: {total} requests over {operations} operations, {server_errors} answered 5xx: {dict(statuses)}")
    assert operations >= 30 and total >= operations * EXAMPLES
    assert failures == [], failures[:10]
    assert undocumented == [], undocumented[:10]
