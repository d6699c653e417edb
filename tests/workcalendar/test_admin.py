from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.models import User
from apps.orgs.models import Org
from apps.workcalendar.calendar import add_working_days, year_is_confirmed
from apps.workcalendar.models import CalendarOverride, CalendarYear
from apps.workcalendar.services import calendar_year_set_confirmed, can_manage_calendar
from tests.factories import OrgFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("ops", password="Test@12345pw", real_name="运维")
    client.force_login(user)
    return user


def ministry_admin():
    return UserFactory(org=OrgFactory(level=Org.Level.MINISTRY), role=User.Role.ADMIN)


def test_only_ministry_admins_and_superusers_manage_the_calendar():
    assert can_manage_calendar(ministry_admin())
    assert not can_manage_calendar(
        UserFactory(org=OrgFactory(level=Org.Level.PROVINCE), role=User.Role.ADMIN)
    )
    assert not can_manage_calendar(UserFactory(org=OrgFactory(level=Org.Level.MINISTRY), role=User.Role.USER))


def test_confirming_a_year_records_who_and_when_and_clears_the_flag():
    actor = ministry_admin()
    assert not year_is_confirmed(2027)
    row = calendar_year_set_confirmed(actor=actor, year=2027, confirmed=True, note="国办发明电〔2026〕X号")
    assert (row.confirmed, row.confirmed_by, row.note) == (True, actor, "国办发明电〔2026〕X号")
    assert row.confirmed_at is not None
    assert year_is_confirmed(2027)
    row = calendar_year_set_confirmed(actor=actor, year=2027, confirmed=False)
    assert (row.confirmed, row.confirmed_at, row.confirmed_by) == (False, None, None)
    assert not year_is_confirmed(2027)


def test_province_admin_cannot_confirm_and_nothing_changes():
    actor = UserFactory(org=OrgFactory(level=Org.Level.PROVINCE), role=User.Role.ADMIN)
    with pytest.raises(PermissionDenied, match="部级系统管理员"):
        calendar_year_set_confirmed(actor=actor, year=2027, confirmed=True)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_confirming_a_year_out_of_range_is_refused():
    with pytest.raises(ValidationError, match="2000年至2100年"):
        calendar_year_set_confirmed(actor=ministry_admin(), year=2150, confirmed=True)


def test_changelists_render(client, superuser, django_assert_max_num_queries):
    CalendarOverride.objects.create(date=date(2027, 2, 9), kind="work", note="示例")
    response = client.get(reverse("admin:workcalendar_calendaroverride_changelist"))
    assert response.status_code == 200
    assert "调休上班" in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:workcalendar_calendaryear_changelist"))
    assert response.status_code == 200


def test_admin_is_view_only_so_every_change_is_audited_in_app(client, superuser):
    """Changes go through 节假日管理 (apps.sysadmin.services), which writes the audit row."""
    year, _ = CalendarYear.objects.update_or_create(year=2099, defaults={"confirmed": False})
    before = list(CalendarYear.objects.order_by("year").values_list("year", "confirmed"))
    override = {"date": "2026-12-31", "kind": "off", "note": "加放"}
    response = client.post(reverse("admin:workcalendar_calendaroverride_add"), override)
    assert response.status_code == 403
    year_data = {"year": "2098", "confirmed": "on"}
    response = client.post(reverse("admin:workcalendar_calendaryear_add"), year_data)
    assert response.status_code == 403
    client.post(
        reverse("admin:workcalendar_calendaryear_changelist"),
        {"action": "confirm_years", "_selected_action": [year.pk]},
    )
    assert not CalendarOverride.objects.exists()
    assert list(CalendarYear.objects.order_by("year").values_list("year", "confirmed")) == before


def test_override_saved_in_app_moves_deadlines_at_once():
    from apps.sysadmin.services import calendar_override_save

    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
    calendar_override_save(actor=ministry_admin(), date=date(2026, 12, 31), kind="off", note="加放")
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 6)


def test_staff_outside_the_ministry_cannot_add_overrides(client):
    user = UserFactory(org=OrgFactory(level=Org.Level.PROVINCE), role=User.Role.ADMIN)
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="workcalendar"))
    client.force_login(user)
    response = client.post(
        reverse("admin:workcalendar_calendaroverride_add"), {"date": "2026-12-31", "kind": "off"}
    )
    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()
