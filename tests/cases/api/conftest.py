"""Calling the cases API as the cases cast (tests/cases/conftest.py): each with an API token."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.cases.conftest import png
from wangge.cases.services import report
from wangge.people.services import token_create

BASE = "/api/v1"
EAST = (102.847, 24.875)  # in 吴家营社区东网格
WEST = (102.842, 24.875)  # in 吴家营社区西网格
SOUTH = (102.855, 24.875)  # in 洛龙社区南网格
OUTSIDE = (103.5, 25.5)


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def png64(color: str = "red") -> str:
    return b64(png(color))


class Api:
    """A client for /api/v1 sending one user's bearer token."""

    def __init__(self, client: Client, key: str) -> None:
        self.client = client
        # English: the tests read the API's messages in English, as another system may ask.
        self.headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}

    def get(self, path: str, params: Any = None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any = None, *, headers: dict[str, str] | None = None):
        """A JSON body (None sends an empty body)."""
        return self.client.post(
            BASE + path,
            "" if body is None else json.dumps(body),
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def post_form(self, path: str, data: dict[str, Any], *, headers: dict[str, str] | None = None):
        """A multipart/form-data body: files as (name, bytes) pairs or lists of them."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        def part(value: Any) -> Any:
            if isinstance(value, tuple):
                return SimpleUploadedFile(value[0], value[1])
            if isinstance(value, list):
                return [part(v) for v in value]
            return value

        return self.client.post(
            BASE + path,
            {k: part(v) for k, v in data.items()},
            headers={**self.headers, **(headers or {})},
        )


@pytest.fixture
def api_as(cc, client):
    """api_as("operator") → an Api with a fresh token of that user (usernames of the cast)."""

    def make(username: str) -> Api:
        user = get_user_model().objects.get(username=username)
        return Api(client, token_create(user=user, label="test"))

    return make


def report_body(**overrides: Any) -> dict[str, Any]:
    return {
        "source": "supervisor",
        "description": "路边暴露垃圾一堆",
        "lon": EAST[0],
        "lat": EAST[1],
        "address": "吴家营路 1 号",
        **overrides,
    }


def make_case(cc, where: tuple[float, float] = EAST, **kw: Any):
    """A case reported through the service (for lists, scoping and rates)."""
    return report(
        actor_user=cc.supervisor.user,
        source=kw.pop("source", "supervisor"),
        description=kw.pop("description", "路边暴露垃圾一堆"),
        lon=where[0],
        lat=where[1],
        **kw,
    )
