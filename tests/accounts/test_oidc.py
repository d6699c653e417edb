"""统一身份认证 against a real OpenID provider running in the live server (django-oauth-toolkit):
discovery, authorization code with PKCE, token exchange, RS256 ID token checked against the
provider's JWKS, all over HTTP. Nothing is mocked."""

import re

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oauth2_provider.models import Application

from apps.audit import actions
from apps.audit.models import AuditLog
from tests.accounts.world import PASSWORD, build_world
from tests.factories import UserFactory

pytestmark = [pytest.mark.urls("tests.accounts.oidc_provider_urls"), pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server, settings):
    port = live_server.url.rsplit(":", 1)[1]
    site = f"http://localhost:{port}"
    idp = f"http://127.0.0.1:{port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        "SCOPES": {"openid": "OpenID Connect", "profile": "基本信息"},
        "PKCE_REQUIRED": True,
    }
    Application.objects.create(
        name="安全生产举报系统",
        client_id="aqscjb",
        client_secret="rp-secret-123",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{site}/login/oidc/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    settings.OIDC_SERVER_METADATA_URL = f"{idp}/o/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "aqscjb"
    settings.OIDC_CLIENT_SECRET = "rp-secret-123"
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    return {"site": site, "idp": idp}


def sign_in_at_provider(provider, person_username: str) -> tuple[requests.Session, requests.Response]:
    """A browser's journey, with requests: site → provider login → provider → site callback."""
    browser = requests.Session()
    page = browser.get(f"{provider['site']}/login/", timeout=20)
    assert "统一身份认证登录" in page.text
    start = browser.get(f"{provider['site']}/login/oidc/", allow_redirects=False, timeout=20)
    assert start.status_code == 302 and start.headers["Location"].startswith(
        f"{provider['idp']}/o/authorize/"
    )
    assert "code_challenge=" in start.headers["Location"] and "nonce=" in start.headers["Location"]
    login_page = browser.get(start.headers["Location"], timeout=20)  # redirected to the provider's login
    assert login_page.url.startswith(f"{provider['idp']}/idp/login/")
    token = re.search(r"name=['\"]csrfmiddlewaretoken['\"] value=['\"]([^'\"]+)", login_page.text).group(1)
    next_url = re.search(r"name='next' value='([^']+)'", login_page.text).group(1).replace("&amp;", "&")
    authorized = browser.post(
        login_page.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": person_username,
            "password": PASSWORD,
            "next": next_url,
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=20,
    )
    assert authorized.status_code == 302
    to_site = browser.get(
        f"{provider['idp']}{authorized.headers['Location']}", allow_redirects=False, timeout=20
    )
    assert to_site.status_code == 302
    assert to_site.headers["Location"].startswith(f"{provider['site']}/login/oidc/callback/?code=")
    return browser, browser.get(to_site.headers["Location"], allow_redirects=False, timeout=30)


def test_authorised_account_is_matched_by_subject_and_signed_in(provider):
    world = build_world()
    account = world.user("P1", "admin")
    # The person at the provider: a different record, here sharing the account's display name, to
    # show that matching is by subject id alone.
    person = UserFactory(username="idp-zhang", real_name=account.real_name, org=world.orgs["M"])
    account.oidc_subject = str(person.pk)
    account.save(update_fields=["oidc_subject"])

    browser, callback = sign_in_at_provider(provider, person.username)
    assert callback.status_code == 302 and callback.headers["Location"] == "/"
    home = browser.get(f"{provider['site']}/", allow_redirects=False, timeout=20)
    assert home.status_code == 200
    assert account.org.name in home.text
    row = AuditLog.objects.get(action=actions.LOGIN, actor=account)
    assert row.detail["method"] == "oidc"


def test_person_without_an_authorised_account_sees_unauthorised(provider):
    world = build_world()
    namesake = world.user("P1", "user")
    # Same display name as an existing account, but no account carries this person's subject.
    person = UserFactory(username="idp-li", real_name=namesake.real_name, org=world.orgs["M"])

    browser, callback = sign_in_at_provider(provider, person.username)
    assert callback.status_code == 403
    assert "未授权应用" in callback.text and "安全生产举报系统" in callback.text
    home = browser.get(f"{provider['site']}/", allow_redirects=False, timeout=20)
    assert home.status_code == 302  # not signed in to the site
    row = AuditLog.objects.get(action=actions.LOGIN_FAILED, result="denied")
    assert row.detail["subject"] == str(person.pk)


def test_disabled_account_is_unauthorised_too(provider):
    world = build_world()
    account = world.user("C1", "user")
    person = UserFactory(username="idp-wang", org=world.orgs["M"])
    account.oidc_subject = str(person.pk)
    account.is_active = False
    account.save(update_fields=["oidc_subject", "is_active"])
    _, callback = sign_in_at_provider(provider, person.username)
    assert callback.status_code == 403


def test_forged_callback_is_refused_cleanly(provider):
    world = build_world()
    assert world
    browser = requests.Session()
    response = browser.get(f"{provider['site']}/login/oidc/callback/?code=forged&state=forged", timeout=20)
    assert response.status_code == 400
    assert "统一身份认证登录失败" in response.text
