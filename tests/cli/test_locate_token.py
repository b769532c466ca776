"""`wangge locate LON LAT` and `wangge token USERNAME`."""

from __future__ import annotations

import json

from tests.conftest import MID, QUARTER
from wangge.people.services import token_user


class TestLocate:
    def test_prints_one_json_object(self, cast, run):
        result = run("locate", str((QUARTER + MID) / 2), "24.875")
        assert result.code == 0, result.message
        assert result.out.count("\n") == 1
        located = json.loads(result.out)
        assert located == {
            "grid": {"code": "530114005001001", "name": "吴家营社区东网格"},
            "community": {"code": "530114005001", "name": "吴家营社区"},
            "subdistrict": {"code": "530114005", "name": "洛龙街道"},
        }

    def test_a_shared_edge_resolves_the_same_way_every_time(self, cast, run):
        answers = {run("locate", str(QUARTER), "24.875").out for _ in range(3)}
        assert len(answers) == 1
        assert json.loads(answers.pop())["grid"]["code"] == "530114005001001"

    def test_outside_the_jurisdiction(self, cast, run):
        # A negative longitude is a number, not an option.
        result = run("locate", "-73.9", "40.7")
        assert result.code == 1
        assert "outside the jurisdiction" in result.message
        assert result.out == ""

    def test_negative_numbers_after_double_dash(self, cast, run):
        result = run("locate", "--", "-73.9", "40.7")
        assert result.code == 1
        assert "outside the jurisdiction" in result.message

    def test_swapped_coordinates(self, cast, run):
        result = run("locate", "24.875", "102.85")
        assert result.code == 2
        assert "swapped" in result.message

    def test_not_a_number(self, cast, run):
        result = run("locate", "east", "24.875")
        assert result.code == 2
        assert "lon must be a number" in result.message


class TestToken:
    def test_prints_a_token_the_api_accepts(self, cast, run):
        result = run("token", "supervisor", "--label", "处置通 01")
        assert result.code == 0, result.message
        key = result.out.strip()
        user = token_user(key)
        assert user is not None
        assert user.get_username() == "supervisor"
        assert cast.supervisor.user == user

    def test_each_call_makes_a_new_token(self, cast, run):
        assert run("token", "operator").out != run("token", "operator").out

    def test_unknown_user(self, db, run):
        result = run("token", "nobody")
        assert result.code == 1
        assert result.message == "no user named 'nobody'"

    def test_inactive_user(self, cast, run):
        user = cast.supervisor.user
        user.is_active = False
        user.save()
        result = run("token", "supervisor")
        assert result.code == 1
        assert "inactive" in result.message
