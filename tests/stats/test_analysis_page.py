"""举报信息情况分析 (8.2) has its own page: the period and the region or org, then the Word report
is built in the background for the user who asked, within their jurisdiction only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from apps.stats.models import Export
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=40)
URL = reverse("stats:analysis")
IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def data(world):
    for i, leaf in enumerate(("410105", "410102", "419001", "130102")):
        make_report(world, leaf=leaf, received=at(START + dt.timedelta(days=i)))
    return world


def _form(**extra) -> dict:
    return {"mode": "region", "start": START.isoformat(), "end": TODAY.isoformat(), **extra}


def test_get_renders_the_form_and_the_sidebar_link(client, data):
    client.force_login(data.users.henan)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "举报信息情况分析" in html and 'name="start"' in html and 'name="org"' in html
    assert 'name="column"' not in html  # the report has every dimension
    assert f'<a class="nav-link active" href="{URL}" aria-current="page">情况分析</a>' in html
    # Reachable from 举报单统计 too.
    assert URL in client.get(reverse("stats:index")).content.decode()


def test_post_queues_the_report_for_the_user(client, data, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    client.force_login(data.users.zhengzhou)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form())
    assert response.status_code == 302 and response["Location"] == reverse("stats:exports")
    export = Export.objects.get()
    assert (export.kind, export.user, export.state) == ("analysis", data.users.zhengzhou, "done")
    assert export.params["mode"] == "region" and export.params["start"] == START.isoformat()
    assert "郑州市举报信息情况分析报告" in export.title
    download = client.get(reverse("stats:export_download", args=[export.pk]))
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "郑州市共接收安全生产举报2件" in "\n".join(p.text for p in doc.paragraphs)
    page = client.get(reverse("stats:exports")).content.decode()
    assert "情况分析报告已开始生成" in page


def test_post_by_org(client, data):
    client.force_login(data.users.ministry)
    response = client.post(URL, _form(mode="org", org=str(data.orgs.henan.pk)))
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.params["org_id"] == data.orgs.henan.pk and "河南省应急管理厅" in export.title


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01"}, "开始日期格式不正确"),
        ({"start": "2026-05-02", "end": "2026-05-01"}, "开始日期不能晚于结束日期"),
        ({"start": "2000-01-01", "end": "2026-05-01"}, "统计时间跨度不能超过20年"),
        ({"end": ""}, "请选择结束日期"),
        ({"mode": "org", "org": ""}, "请选择机构"),
        ({"mode": "nation"}, "所选项不存在或不在您的管辖范围内"),
        ({"region": "130000"}, "所选项不存在或不在您的管辖范围内"),
    ],
)
def test_bad_input_is_a_400_with_a_chinese_message(client, data, params, message):
    client.force_login(data.users.henan)
    response = client.post(URL, _form(**params))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Export.objects.exists()


def test_a_city_cannot_pick_an_org_outside_its_jurisdiction(client, data):
    client.force_login(data.users.zhengzhou)
    for outside in (data.orgs.hebei, data.orgs.henan, data.orgs.jiyuan, data.orgs.ministry):
        response = client.post(URL, _form(mode="org", org=str(outside.pk)))
        assert response.status_code == 400
        assert "所选项不存在或不在您的管辖范围内" in response.content.decode()
    assert not Export.objects.exists()
    # Its own counties are fine.
    assert client.post(URL, _form(mode="org", org=str(data.orgs.jinshui.pk))).status_code == 302


def test_too_many_running_exports_are_refused(client, data):
    client.force_login(data.users.henan)
    for _ in range(3):
        Export.objects.create(kind="table", user=data.users.henan, title="x", params={}, state="pending")
    response = client.post(URL, _form())
    assert response.status_code == 400 and "导出任务在生成中" in response.content.decode()
    assert Export.objects.count() == 3


def test_no_statistics_no_page(client, data):
    client.force_login(data.users.auditor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not Export.objects.exists()
