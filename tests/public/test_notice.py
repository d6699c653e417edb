import re

from apps.public import clock
from tests.public.conftest import token_from


def test_notice_page_explains_and_sends_privacy_headers(client, country):
    response = client.get("/jubao/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "举报须知",
        "不予受理",
        "意见建议",
        "行政复议",
        "保密",
        "举报奖励",
        "道路交通",
        "公安机关交通管理部门",
    ):
        assert text in html
    assert "我已阅读以上条款" in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    # The CSP allows no inline script: every script comes from a file.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert 'style="' not in html


def test_the_countdown_starts_at_15_even_when_the_stored_time_rounds_up(client, country, monkeypatch):
    # The session keeps the time it was shown to the millisecond: 0.0006 s past a millisecond
    # is stored 0.0004 s in the future, which once made the page count down from 16.
    monkeypatch.setattr(clock, "now", lambda: 1_800_000_000.0006)
    html = client.get("/jubao/").content.decode()
    assert 'data-remaining="15"' in html


def test_acknowledging_before_15_seconds_is_refused(client, country, server_clock):
    notice = client.get("/jubao/")
    server_clock.advance(3)
    response = client.post(
        "/jubao/start", {"session": token_from(notice.content.decode()), "mode": "anonymous"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "至少15秒" in html and "还需12秒" in html
    assert 'id="report-form"' not in html


def test_acknowledging_after_15_seconds_opens_the_form(client, country, server_clock):
    notice = client.get("/jubao/")
    server_clock.advance(15)
    response = client.post(
        "/jubao/start", {"session": token_from(notice.content.decode()), "mode": "realname"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="report-form"' in html and "实名举报" in html and 'name="reporter_phone"' in html
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"


def test_forged_or_foreign_session_is_refused(client, country, server_clock):
    server_clock.advance(60)
    response = client.post("/jubao/start", {"session": "forged:token", "mode": "anonymous"})
    assert response.status_code == 400
    assert "页面已过期" in response.content.decode()


def test_unknown_mode_is_refused(client, country, server_clock):
    notice = client.get("/jubao/")
    server_clock.advance(20)
    response = client.post("/jubao/start", {"session": token_from(notice.content.decode()), "mode": "x"})
    assert response.status_code == 400
    assert "请选择匿名举报或实名举报" in response.content.decode()
