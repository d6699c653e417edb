"""The two entry points link to each other: staff who land on /jubao/ find their login, and the
public who land on the login page find where to report."""

import re

import pytest

pytestmark = pytest.mark.django_db


def link(html: str, text: str) -> str:
    match = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{text}</a>', html)
    assert match, f"no link {text}"
    return match.group(1)


def test_login_page_links_to_the_public_channel(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert link(response.content.decode(), "社会公众举报入口") == "/jubao/"


def test_notice_links_to_the_staff_login(client, country):
    response = client.get("/jubao/")
    assert link(response.content.decode(), "工作人员登录") == "/login/"
