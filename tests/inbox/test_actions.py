import pytest

from apps.inbox.actions import message_mark_all_read, message_mark_read
from apps.inbox.models import Message, MessageRead
from apps.inbox.selectors import unread_count
from apps.inbox.services import notify
from apps.reports.errors import PermissionDeniedForAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(world):
    return [notify(org=world.orgs.henan, kind=Message.Kind.NEW_REPORT, text=f"第{i}条") for i in range(3)]


def test_mark_read_lowers_my_count_by_one_and_is_idempotent(world, messages):
    user = world.users.henan
    assert unread_count(user) == 3
    message_mark_read(actor=user, message=messages[0])
    assert unread_count(user) == 2
    message_mark_read(actor=user, message=messages[0])
    assert unread_count(user) == 2
    assert MessageRead.objects.count() == 1
    assert unread_count(world.users.henan2) == 3  # a colleague still has them unread


def test_marking_someone_elses_message_is_refused(world, messages):
    with pytest.raises(PermissionDeniedForAction):
        message_mark_read(actor=world.users.zhengzhou, message=messages[0])
    with pytest.raises(PermissionDeniedForAction):
        message_mark_read(actor=world.users.auditor, message=messages[0])
    assert not MessageRead.objects.exists()


def test_mark_all_read(world, messages):
    message_mark_read(actor=world.users.henan, message=messages[0])
    notify(org=world.orgs.zhengzhou, kind=Message.Kind.OTHER, text="郑州的")
    assert message_mark_all_read(actor=world.users.henan) == 2
    assert unread_count(world.users.henan) == 0
    assert unread_count(world.users.zhengzhou) == 1
    assert message_mark_all_read(actor=world.users.henan) == 0
