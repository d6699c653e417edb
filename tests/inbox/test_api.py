import pytest

from apps.inbox.models import Message
from apps.inbox.selectors import unread_count
from apps.inbox.services import notify
from apps.reports.tokens import issue_api_token

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user)}"}


@pytest.fixture
def messages(world):
    Message.objects.all().delete()
    return [notify(org=world.orgs.henan, kind=Message.Kind.NEW_REPORT, text=f"第{i}条") for i in range(3)]


def test_message_list(client, world, messages):
    headers = auth(world.users.henan)
    body = client.get("/api/v1/messages", {"limit": 2}, **headers).json()
    assert (body["count"], body["unread"], len(body["items"])) == (3, 3, 2)
    assert body["items"][0]["text"] == "第2条" and body["items"][0]["is_read"] is False
    assert client.get("/api/v1/messages", {"status": "read"}, **headers).json()["count"] == 0
    assert client.get("/api/v1/messages", {"limit": 0}, **headers).status_code == 400
    assert client.get("/api/v1/messages", {"status": "nope"}, **headers).status_code == 400
    assert client.get("/api/v1/messages", **auth(world.users.zhengzhou)).json()["count"] == 0
    assert client.get("/api/v1/messages").status_code == 401


def test_message_mark_read(client, world, messages):
    url = f"/api/v1/messages/{messages[0].pk}/read"
    response = client.post(url, **auth(world.users.henan))
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert response.json()["read_at"] is not None
    listed = client.get("/api/v1/messages", {"status": "read"}, **auth(world.users.henan)).json()["items"]
    assert [(m["id"], m["read_at"] is not None) for m in listed] == [(messages[0].pk, True)]
    assert unread_count(world.users.henan) == 2
    outside = client.post(url, **auth(world.users.hebei))
    assert outside.status_code == 404 and outside.json()["detail"] == "消息不存在"
    assert client.post(url).status_code == 401


def test_mark_all_read(client, world, messages):
    response = client.post("/api/v1/messages/read-all", **auth(world.users.henan))
    assert response.json() == {"marked": 3, "unread": 0}


@pytest.mark.parametrize("offset", ["9223372036854775808", "1000001", "-1"])
def test_message_list_refuses_an_offset_out_of_range(client, world, messages, offset):
    # Past the cap the database's OFFSET overflows (a 500); the client gets a 400 in Chinese.
    response = client.get("/api/v1/messages", {"offset": offset}, **auth(world.users.henan))
    assert response.status_code == 400 and response.json()["detail"] == "请求参数不正确"
    at_cap = client.get("/api/v1/messages", {"offset": 1_000_000}, **auth(world.users.henan))
    assert at_cap.status_code == 200 and at_cap.json()["items"] == []
