"""The OpenAPI schema says what the service does: schemathesis generates valid and invalid requests from the
app's own schema (in-process, ASGI, real engine) and checks every answer against it: no 500, only documented
status codes, headers and content types, responses matching their schemas, valid data accepted, invalid rejected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.service import Service
from reportqa.library import Engine

EXAMPLES_PER_OPERATION = 30  # bounded: the whole run stays well under two minutes on 2 cores

# The app is created at import (schemathesis reads its schema to parametrize the test) and the session's real
# engine is attached before its first request, so its start-up loads nothing (schemathesis' lazy fixture loader
# does not work under pytest 9.2). This is what `schemathesis.openapi.from_asgi` does, minus the early request.
APP = create_app()
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP


# Requests the schema allows but the conversation rules refuse with a documented 422 (the last message must be
# the user's question: JSON Schema cannot say "the last item of a list"), so "valid data is accepted" is not
# checked there; every other check is.
SEMANTIC_422 = {"/v1/chat/completions"}


@pytest.fixture(scope="module", autouse=True)
def loaded_engine(engine: Engine) -> Iterator[None]:
    """The app answers from the session's engine (as after start-up)."""
    APP.state.settings, APP.state.service = engine.settings, Service(engine.settings, engine)
    yield
    APP.state.service = Service(engine.settings)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_behaves_as_its_schema_says(case: schemathesis.Case) -> None:
    excluded = [positive_data_acceptance] if case.operation.path in SEMANTIC_422 else []
    case.call_and_validate(excluded_checks=excluded)
