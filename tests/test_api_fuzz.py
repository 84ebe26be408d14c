"""Schemathesis over the API's own OpenAPI schema, against the WSGI app, with an API key: no server error, ever.

Valid and invalid inputs alike (positive and negative generation): a malformed parameter must get
a 4xx that the schema describes, never a 500. Half the generated ids are swapped for ids that
exist, so the endpoints are fuzzed on real rows too. Kept small enough to run in well under a minute.
"""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
import schemathesis
import time_machine
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from api.services import api_token_create
from api_support import api_schema
from audit.models import AuditEvent
from indicators.models import IndicatorFigure
from indicators.services import FigureReport, figure_due_generate, figure_review, figure_submit
from roles.models import User
from workflow.models import Occurrence
from workflow.services import plan_activate

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# A longer hunt: SAURO_FUZZ_EXAMPLES=200 pytest tests/test_api_fuzz.py
MAX_EXAMPLES = int(os.environ.get("SAURO_FUZZ_EXAMPLES", "8"))


@pytest.fixture(autouse=True)
def test_connection_kept():
    """Calls go straight to the WSGI app, not through Django's test client, so do what that client does:
    keep the end of each request from closing the test's connection (inside its transaction on
    PostgreSQL, Django would close it, and every later query would fail)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db, thanh_mien_plan):
    party_office = User.objects.get(username="thanhmien.vanphong")
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=party_office)
    occurrence = Occurrence.objects.filter(plan=thanh_mien_plan).order_by("pk").first()
    figure_due_generate(today=date(2025, 9, 10))
    figure = IndicatorFigure.objects.get(indicator__plan=thanh_mien_plan, indicator__number="1", period_key="2025-Q3")
    figure_submit(figure=figure, actor=User.objects.get(username="thanhmien.canbo"),
                  report=FigureReport(value=Decimal("61")), files=[("so-lieu.pdf", PDF)])
    figure_review(figure=figure, actor=User.objects.get(username="thanhmien.truongphong"), approve=True)
    return {
        "key": api_token_create(user=party_office, name="schemathesis").key,
        "ids": {"plans": thanh_mien_plan.pk, "tasks": occurrence.task_id, "occurrences": occurrence.pk,
                "indicators": figure.indicator_id},
        "events": AuditEvent.objects.count(),
    }


# The schema is the one /api/v1/schema/ serves (pytest-django has set Django up before collection).
# Loaded eagerly: schemathesis's fixture-based loader does not run under pytest 9.
schema = schemathesis.openapi.from_dict(api_schema())
schema.app = get_wsgi_application()
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                max_examples=MAX_EXAMPLES, deterministic=True)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # set up once per operation, read-only
def test_no_input_makes_the_api_fail(case, fuzz_world):
    identifier = (case.path_parameters or {}).get("id")
    if isinstance(identifier, int) and identifier % 2 == 0:
        collection = case.path.split("/")[3]  # /api/v1/<collection>/{id}/...
        case.path_parameters["id"] = fuzz_world["ids"][collection]
    response = case.call(headers={"Authorization": f"Bearer {fuzz_world['key']}"})
    assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                             response_schema_conformance])
    assert AuditEvent.objects.count() == fuzz_world["events"]  # reading never records anything
