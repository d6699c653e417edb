from apps.sms.models import SmsOutbox
from tests.public.conftest import stored_captcha_key


def send(client, session, **overrides):
    data = {
        "session": session["session"],
        "reporter_phone": "13912345678",
        "captcha_key": "k",
        "captcha_answer": "PASSED",
        **overrides,
    }
    return client.post("/jubao/sms", data)


def test_sms_needs_the_captcha_first_then_not_again(client, country, form_session):
    session = form_session("realname")
    refused = send(client, session, captcha_key=stored_captcha_key(), captcha_answer="WRONG")
    body = refused.json()
    assert refused.status_code == 400 and "图形验证码不正确" in body["message"]
    assert body["captcha"]["key"] and body["captcha"]["image_url"].startswith("/captcha/image/")
    assert not SmsOutbox.objects.exists()

    sent = send(client, session)
    assert sent.status_code == 200 and sent.json()["resend_after"] == 60
    assert sent["Cache-Control"].startswith("no-store")

    again = send(client, session, captcha_answer="")  # captcha already passed in this session
    assert again.status_code == 429 and "秒后重新获取" in again.json()["message"]
    assert again.json()["captcha_passed"] is True


def test_sms_verify_endpoint(client, country, form_session):
    session = form_session("realname")
    send(client, session)
    code = SmsOutbox.objects.get().context["code"]
    wrong = "000000" if code != "000000" else "111111"
    data = {"session": session["session"], "reporter_phone": "13912345678"}
    bad = client.post("/jubao/sms/verify", {**data, "sms_code": wrong})
    assert bad.status_code == 400 and "还可尝试4次" in bad.json()["message"]
    good = client.post("/jubao/sms/verify", {**data, "sms_code": code})
    assert good.status_code == 200 and good.json()["ok"]


def test_sms_before_the_notice_is_acknowledged_is_refused(client, country):
    import re

    notice = client.get("/jubao/").content.decode()
    token = re.search(r'name="session" value="([^"]+)"', notice).group(1)
    response = client.post(
        "/jubao/sms",
        {"session": token, "reporter_phone": "13912345678", "captcha_key": "k", "captcha_answer": "PASSED"},
    )
    assert response.status_code == 400 and "举报须知" in response.json()["message"]
    assert not SmsOutbox.objects.exists()


def test_captcha_refresh(client, country):
    body = client.get("/jubao/captcha").json()
    assert body["key"] and client.get(body["image_url"]).status_code == 200


def test_sms_verify_is_rate_limited_per_client(client, country, form_session):
    from apps.public.actions import SMS_VERIFIES_PER_CLIENT_HOUR

    data = {"session": form_session("realname")["session"], "reporter_phone": "13912345678",
            "sms_code": "123456"}
    for _ in range(SMS_VERIFIES_PER_CLIENT_HOUR):
        assert client.post("/jubao/sms/verify", data).status_code == 400  # no code was sent
    limited = client.post("/jubao/sms/verify", data)
    assert limited.status_code == 429 and "过于频繁" in limited.json()["message"]
