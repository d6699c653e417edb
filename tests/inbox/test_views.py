import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.inbox.context_processors import inbox
from apps.inbox.models import Message, MessageRead
from apps.inbox.selectors import unread_count
from apps.inbox.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(world):
    Message.objects.all().delete()
    return [
        notify(org=world.orgs.henan, kind=Message.Kind.NEW_REPORT, text=f"第{i}条消息", url=f"/reports/{i}/")
        for i in range(3)
    ]


def test_list_filters_and_the_unread_badge(client, world, messages):
    client.force_login(world.users.henan)
    MessageRead.objects.create(message=messages[0], user=world.users.henan)
    html = client.get(reverse("inbox:list")).content.decode()
    assert all(m.text in html for m in messages)
    assert 'aria-label="未读消息2条"' in html and "标记为已读" in html
    unread = client.get(reverse("inbox:list"), {"status": "unread"}).content.decode()
    assert "第0条消息" not in unread and "第1条消息" in unread
    read = client.get(reverse("inbox:list"), {"status": "read"}).content.decode()
    assert "第0条消息" in read and "第1条消息" not in read
    other = client.get(reverse("inbox:list"), {"kind": "supervised"}).content.decode()
    assert "暂无消息" in other
    odd = client.get(reverse("inbox:list"), {"status": "bogus", "kind": "bogus", "page": "-1"})
    assert odd.status_code == 200 and "第1条消息" in odd.content.decode()


def test_htmx_filter_returns_the_list_only(client, world, messages):
    client.force_login(world.users.henan)
    html = client.get(reverse("inbox:list"), {"status": "unread"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="message-list">') and "<html" not in html


def test_mark_read_with_htmx_swaps_the_row_and_the_badge(client, world, messages):
    client.force_login(world.users.henan)
    response = client.post(reverse("inbox:read", args=[messages[1].pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="message-{messages[1].pk}"' in html and "已读" in html and "标记为已读" not in html
    assert 'hx-swap-oob="outerHTML:.inbox-unread-badge"' in html and 'aria-label="未读消息2条"' in html
    assert unread_count(world.users.henan) == 2


def test_mark_read_without_htmx_goes_back_to_the_list(client, world, messages):
    client.force_login(world.users.henan)
    response = client.post(reverse("inbox:read", args=[messages[1].pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("inbox:list")
    assert client.get(reverse("inbox:read", args=[messages[1].pk])).status_code == 405


def test_read_all(client, world, messages):
    client.force_login(world.users.henan)
    response = client.post(reverse("inbox:read_all"), HTTP_HX_REQUEST="true")
    assert 'aria-label="未读消息0条"' in response.content.decode()
    assert unread_count(world.users.henan) == 0 and unread_count(world.users.henan2) == 3
    response = client.post(reverse("inbox:read_all"), follow=True)
    assert "没有未读消息" in response.content.decode()


def test_open_marks_read_and_follows_the_link(client, world, messages):
    client.force_login(world.users.henan)
    response = client.get(reverse("inbox:open", args=[messages[2].pk]))
    assert response.status_code == 302 and response["Location"] == "/reports/2/"
    assert unread_count(world.users.henan) == 2


def test_someone_elses_message_is_a_404(client, world, messages):
    client.force_login(world.users.zhengzhou)
    for name in ("inbox:read", "inbox:open"):
        assert client.get(reverse(name, args=[messages[0].pk])).status_code == 404
        assert client.post(reverse(name, args=[messages[0].pk])).status_code == 404
    assert not MessageRead.objects.exists()


def test_list_page_has_a_pinned_query_count(client, world, messages):
    client.force_login(world.users.henan)
    url = reverse("inbox:list")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    small = len(ctx.captured_queries)
    for i in range(15):
        notify(org=world.orgs.henan, kind=Message.Kind.SUPERVISED, text=f"督办{i}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) == small
    # session, user, org (3) + session save (3) + header counts (被督办, 延期审批, 未读: 3; the
    # 督办 badge is cached for a minute) + the page (count, rows: 2).
    assert small == 11


def test_the_count_costs_nothing_unless_a_template_shows_it(world, messages):
    request = RequestFactory().get("/")
    request.user = world.users.henan
    with CaptureQueriesContext(connection) as ctx:
        context = inbox(request)
    assert len(ctx.captured_queries) == 0
    template = engines["django"].from_string("{{ inbox_unread_count }}/{{ inbox_unread_count }}")
    with CaptureQueriesContext(connection) as ctx:
        assert template.render(context) == "3/3"
    assert len(ctx.captured_queries) == 1
