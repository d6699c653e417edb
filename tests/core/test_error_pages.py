"""What a user meets when something is missing or broken: a Chinese page or a Chinese `detail`,
never Django's or django-ninja's English defaults."""

import pytest
from django.test import RequestFactory
from django.views.defaults import bad_request, server_error

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Server Error", "Bad Request", "Unauthorized", "Forbidden")


def _chinese_only(text: str) -> None:
    assert not [word for word in ENGLISH if word in text], text


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    _chinese_only(body)


def test_report_outside_jurisdiction_shows_the_same_chinese_404(client):
    client.force_login(UserFactory())
    response = client.get("/reports/999999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_server_error_and_bad_request_pages_are_chinese():
    request = RequestFactory().get("/")
    error = server_error(request)
    assert error.status_code == 500 and "系统繁忙" in error.content.decode()
    _chinese_only(error.content.decode())
    bad = bad_request(request, exception=None)
    assert bad.status_code == 400 and "请求无效" in bad.content.decode()
    _chinese_only(bad.content.decode())


def test_staff_api_without_a_session_answers_in_chinese(client):
    response = client.get("/api/v1/reports")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或登录已过期，请重新登录。"}


def test_public_api_without_a_client_key_answers_in_chinese(client):
    response = client.get("/api/v1/public/catalogs")
    assert response.status_code == 401 and "客户端密钥" in response.json()["detail"]


def test_api_not_found_keeps_the_selector_message(client):
    client.force_login(UserFactory())
    response = client.get("/api/v1/reports/999999999")
    assert response.status_code == 404 and response.json() == {"detail": "举报单不存在"}


def test_api_validation_errors_name_the_field_in_chinese(client):
    client.force_login(UserFactory())
    response = client.get("/api/v1/reports", {"offset": "很多"})
    assert response.status_code == 400
    body = response.json()
    assert body == {"detail": "请求参数不正确", "errors": {"offset": ["格式不正确。"]}}


def test_api_unparseable_body_is_named_in_chinese(client):
    response = client.post("/api/v1/public/sessions")  # no body needed: any client may start
    key = response.json()["client_key"]
    broken = client.post(
        "/api/v1/public/reports", data="{not json", content_type="application/json",
        headers={"X-Client-Key": key, "Idempotency-Key": "k-1"},
    )
    assert broken.status_code == 400
    body = broken.json()
    _chinese_only(str(body))
    assert "Field required" not in str(body) and "Cannot parse" not in str(body)
