"""schemathesis against /openapi.json: every operation, generated requests, 0 server errors.

Each operation gets up to ``EXAMPLES`` generated requests, about 5,000 in all (Hypothesis,
derandomized so that a run can be repeated), sent in-process with an owner's API token; half of the ids point at real
journeys and workspaces so that the handlers run past their lookups. Checks: no 5xx, no
operation that ignores authentication, no answer slower than 2 s.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth

from tests.web.conftest import World, bearer, make_world

EXAMPLES = int(os.environ.get("PARCOURS_SCHEMA_EXAMPLES", "200"))  # about 5,000 requests


@pytest.fixture(scope="module")
def schema_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    world = make_world(tmp_path_factory.mktemp("schema"))
    yield world
    world.app.state.backend.close()
    world.store.close()


@pytest.mark.slow
def test_no_operation_answers_a_server_error(schema_world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", schema_world.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    sent: dict[str, int] = {}
    slow: list[str] = []
    for operation in operations:
        fuzz(schema_world, operation, sent, slow)
    print(f"schemathesis: {sum(sent.values())} requests over {len(sent)} operations")
    assert slow == []
    assert len(sent) == len(operations)
    assert sum(sent.values()) >= min(5000, 20 * EXAMPLES)


def fuzz(world: World, operation: Any, sent: dict[str, int], slow: list[str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        for name, real in (("journey_id", world.journey_a), ("workspace_id", world.workspace_a)):
            value = (case.path_parameters or {}).get(name)
            if isinstance(value, str) and value[-1:] in "02468":
                case.path_parameters[name] = real
        started = time.perf_counter()
        response = case.call(headers={**(case.headers or {}), **bearer(world, "owner")})
        if time.perf_counter() - started > 2:
            slow.append(f"{case.method} {case.formatted_path}")
        case.validate_response(response, checks=[not_a_server_error, ignored_auth])
        sent[operation.label] = sent.get(operation.label, 0) + 1

    run()


def test_the_schema_declares_both_ways_to_authenticate(schema_world: World) -> None:
    doc = schema_world.request("GET", "/openapi.json").json()
    assert set(doc["components"]["securitySchemes"]) == {"bearer", "session"}
    assert doc["paths"]["/api/templates"]["get"]["security"] == []
    assert "/api/shared/{token}" in doc["paths"]
