"""The OpenAPI document and the docs page, which must work offline."""

from __future__ import annotations

import json
import re

from tests.api.conftest import BASE

PATHS = [
    "/api/v1/finance/payroll/lines/{line_id}",
    "/api/v1/finance/payroll/{project_id}/{month}",
    "/api/v1/finance/payroll/{project_id}/{month}/approve",
    "/api/v1/finance/payroll/{project_id}/{month}/draft",
    "/api/v1/finance/payroll/{project_id}/{month}/lock",
    "/api/v1/finance/payroll/{project_id}/{month}/reopen",
    "/api/v1/finance/projects",
    "/api/v1/finance/projects/{project_id}",
    "/api/v1/finance/projects/{project_id}/allocations",
    "/api/v1/finance/projects/{project_id}/expenditures",
    "/api/v1/people/turnover",
    "/api/v1/org/tree",
    "/api/v1/grids",
    "/api/v1/grids/check",
    "/api/v1/grids/import",
    "/api/v1/grids/{code}",
    "/api/v1/locate",
    "/api/v1/people",
    "/api/v1/people/{person_id}",
    "/api/v1/people/{person_id}/roles",
    "/api/v1/roles",
    "/api/v1/roles/{assignment_id}/end",
    "/api/v1/staffing-standard",
    "/api/v1/cases",
    "/api/v1/cases/self-handled",
    "/api/v1/cases/queues",
    "/api/v1/cases/{case_id}",
    "/api/v1/cases/{case_id}/actions/{action}",
    "/api/v1/stats/rates",
    "/api/v1/categories",
    "/api/v1/duty/pings",
    "/api/v1/duty/sign-on",
    "/api/v1/duty/sign-off",
    "/api/v1/duty/me",
    "/api/v1/duty/now",
    "/api/v1/duty/summary",
    "/api/v1/linkage/inbox",
    "/api/v1/linkage/calls/{call_id}/ack",
    "/api/v1/linkage/calls/{call_id}/arrive",
    "/api/v1/linkage/calls/{call_id}/handle",
    "/api/v1/linkage/response-times",
    "/api/v1/alerts",
    "/api/v1/alerts/mine",
    "/api/v1/alerts/{alert_id}",
    "/api/v1/alerts/{alert_id}/ack",
    "/api/v1/handovers",
    "/api/v1/handovers/{handover_id}",
    "/api/v1/me/tasks",
    "/api/v1/equipment",
    "/api/v1/equipment/mine",
    "/api/v1/leaders/follow-ups",
    "/api/v1/leaders/follow-ups/{follow_up_id}/done",
    "/api/v1/leaders/inspections",
    "/api/v1/assessment/{period}/communities",
    "/api/v1/assessment/{period}/staff",
    "/api/v1/assessment/{period}/units",
]


def test_the_openapi_document_is_json_listing_every_path(client, db):
    response = client.get(f"{BASE}/openapi.json")

    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["version"] == "1"
    assert sorted(doc["paths"]) == sorted(PATHS)


def test_the_document_declares_bearer_and_session_auth(client, db):
    doc = json.loads(client.get(f"{BASE}/openapi.json").content)

    schemes = doc["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_the_docs_page_loads_nothing_from_another_host(client, db):
    response = client.get(f"{BASE}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/") for s in sources), sources
