"""The Django admin only shows what the audited in-app pages change: a superuser's POST there
changes nothing and writes nothing, so no change escapes the audit log or the actions' checks."""

import datetime

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.audit.models import AuditLog
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.orgs.models import Org
from apps.sms.models import SmsTemplate
from apps.workcalendar.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client, world):
    user = User.objects.create_superuser(
        "ops", password="Test@12345pw", real_name="运维", org=world.orgs["M"]
    )
    client.force_login(user)
    return user


def _rows(model):
    return list(model.objects.order_by("pk").values())


def _targets(world):
    override = CalendarOverride.objects.create(date=datetime.date(2099, 10, 9), kind="work", note="示例")
    year, _ = CalendarYear.objects.get_or_create(year=2099)
    return [
        (User, world.user("K1", "user"), {"username": "k1_user", "is_superuser": "on", "is_active": "on"}),
        (Org, world.orgs["K1"], {"code": "W-K1", "name": "改名", "kind": "emergency", "level": "county"}),
        (
            SmsTemplate,
            SmsTemplate.objects.get(code="login_code"),
            {"code": "login_code", "name": "x", "text": "请登录"},
        ),
        (CalendarOverride, override, {"date": "2099-10-09", "kind": "off", "note": "改"}),
        (CalendarYear, year, {"year": "2099", "confirmed": "on"}),
        (ProblemType, ProblemType.objects.first(), {"name": "改"}),
        (Industry, Industry.objects.first(), {"name": "改"}),
        (Channel, Channel.objects.first(), {"name": "改"}),
    ]


def test_superuser_post_to_admin_change_add_and_delete_is_refused(client, world, superuser):
    targets = _targets(world)
    before = {model: _rows(model) for model, _, _ in targets}
    audit_rows = AuditLog.objects.count()
    for model, obj, data in targets:
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, opts.label
        view = client.get(reverse(f"{name}_change", args=[obj.pk]))
        assert view.status_code == 200, opts.label  # still readable
        assert 'name="_save"' not in view.content.decode(), opts.label
        assert client.post(reverse(f"{name}_change", args=[obj.pk]), data).status_code == 403, opts.label
        assert client.post(reverse(f"{name}_add"), data).status_code == 403, opts.label
        assert client.post(reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
        client.post(
            reverse(f"{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
    assert {model: _rows(model) for model, _, _ in targets} == before
    assert AuditLog.objects.count() == audit_rows


def test_admin_cannot_set_a_users_password(client, world, superuser):
    user = world.user("K1", "user")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": "Other@12345pw", "password2": "Other@12345pw"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password("Test@12345pw")
