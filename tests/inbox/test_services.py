import pytest

from apps.inbox.models import Message, MessageRead
from apps.inbox.selectors import messages_for, unread_count
from apps.inbox.services import notify

pytestmark = pytest.mark.django_db


def test_an_org_message_reaches_every_user_of_the_org_and_nobody_else(world):
    message = notify(
        org=world.orgs.jinshui, kind=Message.Kind.NEW_REPORT, text="新的待办举报", url="/reports/1/"
    )
    assert (message.recipient_org, message.recipient_user, message.url) == (
        world.orgs.jinshui,
        None,
        "/reports/1/",
    )
    assert list(messages_for(world.users.jinshui)) == [message]
    # Not the superior, not the org's own department, not a neighbour.
    for key in ("zhengzhou", "jinshui_dept", "zhongyuan", "hebei"):
        assert not messages_for(getattr(world.users, key)).exists(), key


def test_a_user_message_reaches_only_that_user(world):
    message = notify(user=world.users.henan, kind=Message.Kind.OTHER, text="只给你")
    assert message.recipient_org == world.orgs.henan  # kept for context
    assert list(messages_for(world.users.henan)) == [message]
    assert not messages_for(world.users.henan2).exists()


def test_auditors_get_only_messages_addressed_to_them(world):
    notify(org=world.orgs.henan, kind=Message.Kind.NEW_REPORT, text="新的待办举报")
    assert unread_count(world.users.auditor) == 0
    notify(user=world.users.auditor, kind=Message.Kind.OTHER, text="审计提醒")
    assert unread_count(world.users.auditor) == 1


def test_read_state_is_per_user(world):
    message = notify(org=world.orgs.henan, kind=Message.Kind.NEW_REPORT, text="新的待办举报")
    assert unread_count(world.users.henan) == unread_count(world.users.henan2) == 1
    MessageRead.objects.create(message=message, user=world.users.henan)
    assert (unread_count(world.users.henan), unread_count(world.users.henan2)) == (0, 1)


def test_dedupe_key_makes_a_repeat_a_no_op(world):
    first = notify(org=world.orgs.henan, kind=Message.Kind.DEADLINE, text="明天到期", dedupe_key="deadline:x")
    second = notify(
        org=world.orgs.henan, kind=Message.Kind.DEADLINE, text="明天到期", dedupe_key="deadline:x"
    )
    assert first.pk == second.pk and Message.objects.count() == 1
    notify(org=world.orgs.henan, kind=Message.Kind.DEADLINE, text="明天到期")
    notify(org=world.orgs.henan, kind=Message.Kind.DEADLINE, text="明天到期")
    assert Message.objects.count() == 3  # without a key nothing is deduplicated


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "reports/1", "/\\evil.example"],
)
def test_only_local_links(world, url):
    with pytest.raises(ValueError):
        notify(org=world.orgs.henan, kind=Message.Kind.OTHER, text="x", url=url)
    assert not Message.objects.exists()


def test_needs_a_recipient_a_known_kind_and_a_text(world):
    with pytest.raises(ValueError):
        notify(kind=Message.Kind.OTHER, text="x")
    with pytest.raises(ValueError):
        notify(org=world.orgs.henan, kind="no_such_kind", text="x")
    with pytest.raises(ValueError):
        notify(org=world.orgs.henan, kind=Message.Kind.OTHER, text="  ")
    assert not Message.objects.exists()


def test_unknown_kind_is_stored_as_other_in_production(world, settings):
    settings.DEBUG = settings.TESTING = False
    assert notify(org=world.orgs.henan, kind="no_such_kind", text="x").kind == Message.Kind.OTHER


def test_long_text_is_cut_not_refused(world):
    message = notify(org=world.orgs.henan, kind=Message.Kind.OTHER, text="长" * 600)
    assert len(message.text) == 500 and message.text.endswith("…")
