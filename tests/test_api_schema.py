"""The API's OpenAPI 3 schema: valid, served, complete, and strict enough that a wrong response fails against it.

tests/test_api.py validates every response it gets against this schema (api_support.ApiClient).
"""
from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
import yaml
from openapi_core.validation.response.exceptions import InvalidData
from openapi_spec_validator import validate as spec_validate

from api.services import api_token_create
from api_support import ApiClient, api_schema, response_validate
from workflow.models import Occurrence
from workflow.services import plan_activate

PATHS = {
    "/api/v1/plans/", "/api/v1/plans/{id}/", "/api/v1/plans/{id}/tasks/", "/api/v1/plans/{id}/indicators/",
    "/api/v1/tasks/{id}/", "/api/v1/occurrences/", "/api/v1/occurrences/{id}/", "/api/v1/notifications/",
    "/api/v1/indicators/{id}/figures/",
}


def test_the_schema_is_valid_openapi_3():
    schema = api_schema()
    spec_validate(schema)
    assert schema["openapi"].startswith("3.")
    assert PATHS <= set(schema["paths"])
    assert {"get"} == {method for operations in schema["paths"].values() for method in operations}


def test_every_operation_needs_a_key_or_a_session_and_documents_its_refusals():
    schema = api_schema()
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["apiKey"][
            "description"]}
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        assert {"apiKey": []} in operation["security"], path
        assert {"200", "400", "401", "404"} <= set(operation["responses"]), path


def test_the_occurrence_filters_are_described():
    parameters = {p["name"]: p["schema"] for p in api_schema()["paths"]["/api/v1/occurrences/"]["get"]["parameters"]}
    assert {"status", "unit", "plan", "due_before", "due_after", "overdue", "page", "page_size"} <= set(parameters)
    assert "open" in parameters["status"]["enum"] and "awaiting_directing" in parameters["status"]["enum"]
    assert parameters["due_before"]["format"] == "date"
    assert parameters["page_size"]["maximum"] == 200


def test_the_schema_is_served_as_json_and_yaml(client):
    as_json = client.get("/api/v1/schema/", {"format": "json"})
    as_yaml = client.get("/api/v1/schema/")
    assert as_json.status_code == as_yaml.status_code == 200
    served = json.loads(as_json.content)
    assert yaml.safe_load(as_yaml.content)["paths"].keys() == served["paths"].keys() == api_schema()["paths"].keys()


@pytest.fixture
def occurrence(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return Occurrence.objects.get(plan=thanh_mien_plan, task__number="7")


def test_a_response_that_differs_from_the_schema_fails_validation(client, people, occurrence):
    """The check in api_support is real: change one field's type and the same response is refused."""
    key = api_token_create(user=people["party_office"], name="x").key
    response = ApiClient(client).get(f"/api/v1/occurrences/{occurrence.pk}/", key=key)
    assert response.status_code == 200

    body = response.json()
    body["due_on"] = 20250930
    response.content = json.dumps(body).encode()
    with pytest.raises(InvalidData):
        response_validate(response)

    body = {**response.json(), "due_on": "2025-09-30"}
    del body["unit"]
    response.content = json.dumps(body).encode()
    with pytest.raises(InvalidData):
        response_validate(response)
