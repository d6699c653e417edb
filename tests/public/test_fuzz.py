"""Whatever arrives, the answer is a Chinese refusal or a receipt, never a server error."""

from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.reports.models import Report
from tests.public.test_api import API, report_fields

FIELDS = [
    "mode",
    "region",
    "problem_type",
    "industry",
    "reported_unit_name",
    "description",
    "occurred_on",
    "reporter_name",
    "reporter_phone",
    "sms_code",
    "reporter_id_number",
    "address",
]
junk = st.one_of(
    st.text(max_size=60), st.sampled_from(["", "0", "410105", "realname", "2024-02-30", "\x00", "<a>"])
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(overrides=st.dictionaries(st.sampled_from(FIELDS), junk, max_size=4), key=st.text(max_size=70))
def test_create_never_fails_with_a_server_error(client, country, api_session, overrides, key):
    cache.clear()  # the per-client submission limit is not what this test is about
    before = Report.objects.count()
    response = client.post(
        f"{API}/reports", report_fields(**overrides), HTTP_IDEMPOTENCY_KEY=key, **api_session
    )
    assert response.status_code in (200, 201, 400, 429), response.content
    body = response.json()
    if response.status_code >= 400:
        assert body["detail"] and Report.objects.count() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=50))
def test_lookup_never_fails_with_a_server_error(client, country, code):
    cache.clear()
    response = client.post("/jubao/progress/", {"code": code, "captcha_key": "k", "captcha_answer": "PASSED"})
    html = response.content.decode()
    assert response.status_code == 400 and ("未查询到" in html or "请输入举报编码" in html)
