import datetime

import pytest

from apps.audit import actions
from apps.audit.models import AuditLog
from apps.workcalendar.calendar import is_working_day
from apps.workcalendar.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key, role", [("P1", "admin"), ("M", "user"), ("M", "audit"), ("C1", "admin")])
def test_only_the_ministry_admin_maintains_the_calendar(client, world, key, role):
    client.force_login(world.user(key, role))
    assert client.get("/sysadmin/calendar/").status_code == 403
    assert client.post("/sysadmin/calendar/2031/", {"date": "2031-10-08", "kind": "off"}).status_code == 403
    assert client.post("/sysadmin/calendar/2031/confirm/", {"confirmed": "1"}).status_code == 403
    assert not CalendarOverride.objects.exists() and not CalendarYear.objects.filter(year=2031).exists()


def test_years_list_shows_confirmation(client, world):
    CalendarYear.objects.update_or_create(year=2031, defaults={"confirmed": False})
    client.force_login(world.user("M", "admin"))
    page = client.get("/sysadmin/calendar/").content.decode()
    assert "2031年" in page and "未确认" in page
    assert client.get("/sysadmin/calendar/?year=2031")["Location"] == "/sysadmin/calendar/2031/"
    assert "年度必须在" in client.get("/sysadmin/calendar/?year=1900", follow=True).content.decode()


def test_add_override_confirm_year_and_delete_are_audited(client, world):
    admin = world.user("M", "admin")
    client.force_login(admin)
    day = datetime.date(2031, 10, 8)  # a Wednesday after National Day: made a day off
    assert is_working_day(day)
    response = client.post(
        "/sysadmin/calendar/2031/", {"date": "2031-10-08", "kind": "off", "note": "国庆调休"}
    )
    assert response.status_code == 302
    assert not is_working_day(day)
    client.post("/sysadmin/calendar/2031/confirm/", {"confirmed": "1", "note": "国办发明电〔2030〕1号"})
    row = CalendarYear.objects.get(year=2031)
    assert row.confirmed and row.confirmed_by == admin
    page = client.get("/sysadmin/calendar/2031/").content.decode()
    assert "已确认" in page and "国庆调休" in page
    override = CalendarOverride.objects.get(date=day)
    client.post(f"/sysadmin/calendar/2031/{override.pk}/delete/")
    assert not CalendarOverride.objects.exists()
    assert is_working_day(day)
    client.post("/sysadmin/calendar/2031/confirm/", {"confirmed": "0"})
    assert not CalendarYear.objects.get(year=2031).confirmed
    for action in (
        actions.CALENDAR_OVERRIDE_CREATE,
        actions.CALENDAR_YEAR_CONFIRM,
        actions.CALENDAR_OVERRIDE_DELETE,
        actions.CALENDAR_YEAR_UNCONFIRM,
    ):
        assert AuditLog.objects.filter(action=action, actor=admin).count() == 1, action


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "2031-10-11", "kind": "off"}, "本来就是休息日"),  # a Saturday
        ({"date": "2031-10-08", "kind": "work"}, "本来就是工作日"),
        ({"date": "2032-01-05", "kind": "off"}, "请选择2031年内的日期"),
        ({"date": "not-a-date", "kind": "off"}, "请输入正确的日期"),
        ({"date": "2031-10-08", "kind": "holiday"}, "类型只能是"),
        ({"date": "2031-10-08", "kind": "off", "note": "注" * 201}, "说明不能超过200个字"),
    ],
)
def test_bad_override_input_changes_nothing(client, world, data, message):
    client.force_login(world.user("M", "admin"))
    response = client.post("/sysadmin/calendar/2031/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_duplicate_date_and_out_of_range_year(client, world):
    client.force_login(world.user("M", "admin"))
    client.post("/sysadmin/calendar/2031/", {"date": "2031-10-08", "kind": "off"})
    response = client.post("/sysadmin/calendar/2031/", {"date": "2031-10-08", "kind": "off"})
    assert "该日期已有调整记录" in response.content.decode()
    assert CalendarOverride.objects.count() == 1
    assert client.get("/sysadmin/calendar/1800/").status_code == 404
