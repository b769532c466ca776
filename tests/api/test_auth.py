"""Every endpoint needs a token (devices, other systems) or a session (pages); errors are JSON."""

from __future__ import annotations

from django.test import Client

from tests.api.conftest import BASE, Api
from wangge.people.models import ApiToken


def test_a_token_authenticates_as_its_user_and_scopes_to_their_territory(api_as):
    response = api_as("supervisor").get("/grids")

    assert response.status_code == 200
    names = [f["properties"]["name"] for f in response.json()["features"]]
    assert names == ["吴家营社区东网格"]


def test_a_bad_token_is_401_in_the_error_shape(api_as, client):
    response = Api(client, "wg_not-a-real-key").get("/grids")

    assert response.status_code == 401
    assert response.json() == {
        "message": "the API token is unknown, revoked or its user inactive",
        "field": None,
        "code": "unauthorized",
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(api_as, cast, client):
    api = api_as("operator")
    assert api.get("/grids").status_code == 200
    ApiToken.objects.filter(user=cast.operator.user).update(revoked=True)

    response = api.get("/grids")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_no_credentials_at_all_is_401_saying_how_to_authenticate(api_as):
    response = api_as(None).get("/org/tree")

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized"
    assert "Bearer" in body["message"]
    assert body["field"] is None


def test_a_bad_token_is_refused_even_with_a_valid_session(cast, client):
    # A device that sends a wrong token must learn so, not be let in on someone's cookie.
    client.force_login(cast.admin_user)

    response = Api(client, "wg_wrong").get("/grids")

    assert response.status_code == 401


def test_a_session_authenticates_pages(cast, client):
    client.force_login(cast.operator.user)

    response = client.get(f"{BASE}/grids")

    assert response.status_code == 200
    assert len(response.json()["features"]) == 3


def test_a_session_post_needs_the_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.admin_user)

    response = browser.post(f"{BASE}/people", {"name": "新人"}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "CSRF" in response.json()["message"]


def test_a_token_post_needs_no_csrf_token(api_as):
    api = api_as("root")
    api.client = Client(enforce_csrf_checks=True)

    response = api.post("/people", {"name": "新人"})

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "新人"


def test_territory_follows_the_token_user_not_a_logged_in_session(api_as, cast):
    # The session is the superuser's, the token the supervisor's: the token decides.
    api = api_as("supervisor")
    api.client.force_login(cast.admin_user)

    response = api.get("/grids")

    assert len(response.json()["features"]) == 1
