"""Simplified Chinese by default; English after the switch in the header."""

from __future__ import annotations

PASSWORD = "pass-word-123"


def test_the_pages_are_in_chinese_by_default(cast, client):
    client.login(username="operator", password=PASSWORD)
    html = client.get("/map/").content.decode()
    assert "网格化城市精细化管理平台" in html
    assert "组织架构" in html
    assert 'lang="zh-hans"' in html


def test_a_browser_set_to_english_still_gets_chinese_until_the_user_switches(cast, client):
    client.login(username="operator", password=PASSWORD)
    html = client.get("/map/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html


def test_the_login_page_is_in_chinese(cast, client):
    html = client.get("/login/").content.decode()
    assert "登录" in html
    assert "用户名" in html


def test_switching_to_english_and_back(cast, client):
    client.login(username="operator", password=PASSWORD)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/org/"})
    assert response.status_code == 302
    html = client.get("/org/").content.decode()
    assert "Grid-based City Management Platform" in html
    assert "Organisation" in html
    assert "组织架构" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/org/"})
    assert "组织架构" in client.get("/org/").content.decode()


def test_model_names_and_choices_are_translated(cast, client):
    client.login(username="root", password=PASSWORD)
    html = client.get(f"/grids/{cast.east.code}/").content.decode()
    assert "网格监督员" in html  # RoleKind.SUPERVISOR
    assert "一级网格长" in html  # LeaderLevel.LEVEL1
    admin = client.get("/admin/").content.decode()
    assert "网格长岗位" in admin  # LeaderPost's verbose name
    assert "配置标准" in admin


def test_the_map_popup_words_follow_the_language(cast, client):
    client.login(username="operator", password=PASSWORD)
    assert 'data-t-staff="今日在岗人数"' in client.get("/map/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/map/"})
    html = client.get("/map/").content.decode()
    assert 'data-t-staff="Staff on the roster today"' in html
    assert "grid supervisor" in html  # the role names in the embedded GeoJSON
