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


def test_admin_form_shows_the_validation_message_and_saves_nothing(client, superuser):
    response = client.post(
        reverse("admin:workcalendar_calendaroverride_add"), {"date": "2026-10-01", "kind": "off", "note": ""}
    )
    assert response.status_code == 200
    assert "本来就是休息日（国庆节），无需设置为放假。" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_admin_added_override_moves_deadlines_at_once(client, superuser):
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
    response = client.post(
        reverse("admin:workcalendar_calendaroverride_add"),
        {"date": "2026-12-31", "kind": "off", "note": "加放"},
    )
    assert response.status_code == 302
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 6)


def test_admin_confirming_a_year_stamps_the_user(client, superuser):
    response = client.post(
        reverse("admin:workcalendar_calendaryear_add"), {"year": "2027", "confirmed": "on"}
    )
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert row.confirmed and row.confirmed_by == superuser and row.confirmed_at is not None


def test_admin_confirm_action(client, superuser):
    CalendarYear.objects.create(year=2027)
    response = client.post(
        reverse("admin:workcalendar_calendaryear_changelist"),
        {"action": "confirm_years", "_selected_action": [CalendarYear.objects.get(year=2027).pk]},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).confirmed_by == superuser
    assert year_is_confirmed(2027)


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
