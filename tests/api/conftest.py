"""Calling the API as the cast: each named user with an API token, or none."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wangge.people.services import token_create

BASE = "/api/v1"


class Api:
    """A client for /api/v1 sending one user's bearer token (or nothing)."""

    def __init__(self, client: Client, key: str | None) -> None:
        self.client = client
        # English: the tests read the API's messages in English, as another system may ask.
        auth = {"Authorization": f"Bearer {key}"} if key else {}
        self.headers = {**auth, "Accept-Language": "en"}

    def get(self, path: str, **params: Any):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            BASE + path, data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(cast, client):
    """api_as("operator") → an Api with a fresh token of that user; api_as(None) → no auth."""

    def make(username: str | None) -> Api:
        if username is None:
            return Api(client, None)
        user = get_user_model().objects.get(username=username)
        return Api(client, token_create(user=user, label="test"))

    return make


def strict_json(response) -> Any:
    """The body parsed as JSON proper: NaN and Infinity are refused, as browsers refuse them."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(response.content, parse_constant=refuse)
