"""The cases endpoints in the OpenAPI document, with both body types documented."""

from __future__ import annotations

import json

import pytest

from tests.cases.api.conftest import BASE

pytestmark = pytest.mark.django_db

CASE_PATHS = {
    "/api/v1/cases": {"get", "post"},
    "/api/v1/cases/self-handled": {"post"},
    "/api/v1/cases/queues": {"get"},
    "/api/v1/cases/{case_id}": {"get"},
    "/api/v1/cases/{case_id}/actions/{action}": {"post"},
    "/api/v1/stats/rates": {"get"},
    "/api/v1/categories": {"get"},
}


@pytest.fixture
def doc(client):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_document_lists_the_cases_paths(doc):
    for path, methods in CASE_PATHS.items():
        assert path in doc["paths"], path
        assert set(doc["paths"][path]) == methods, path


@pytest.mark.parametrize(
    ("path", "files"),
    [
        ("/api/v1/cases", {"photos"}),
        ("/api/v1/cases/self-handled", {"before", "after"}),
        ("/api/v1/cases/{case_id}/actions/{action}", {"photos"}),
    ],
)
def test_bodies_are_json_or_multipart_with_files(doc, path, files):
    content = doc["paths"][path]["post"]["requestBody"]["content"]

    assert set(content) == {"application/json", "multipart/form-data"}
    form = content["multipart/form-data"]["schema"]["properties"]
    for name in files:
        assert form[name]["items"]["format"] == "binary"
        assert content["application/json"]["schema"]["properties"][name]["type"] == "array"


def test_the_idempotency_key_and_if_match_headers_are_documented(doc):
    def headers(path: str) -> set[str]:
        params = doc["paths"][path]["post"].get("parameters", [])
        return {p["name"] for p in params if p["in"] == "header"}

    assert headers("/api/v1/cases") == {"Idempotency-Key"}
    assert headers("/api/v1/cases/{case_id}/actions/{action}") == {"If-Match"}


def test_a_report_documents_its_two_success_statuses(doc):
    responses = doc["paths"]["/api/v1/cases"]["post"]["responses"]

    assert {"200", "201", "400", "409"} <= set(responses)
