"""综合统计 pages: the table, bad input, jurisdiction, exports in the background, audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.audit.models import AuditLog
from apps.stats.models import Export
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=40)
IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def data(world):
    for i, leaf in enumerate(("410105", "410102", "419001", "130102")):
        make_report(world, leaf=leaf, received=at(START + dt.timedelta(days=i)))
    return world


def _query(**extra):
    return {
        "mode": "region",
        "start": START.isoformat(),
        "end": TODAY.isoformat(),
        "column": "channel",
        **extra,
    }


def test_index_shows_the_table(client, data, django_assert_max_num_queries):
    client.force_login(data.users.henan)
    response = client.get(reverse("stats:index"))
    assert response.status_code == 200 and "stats-table" not in response.content.decode()
    with django_assert_max_num_queries(30):
        response = client.get(reverse("stats:index"), _query())
    html = response.content.decode()
    assert response.status_code == 200 and 'id="stats-table"' in html
    assert "郑州市" in html and "济源市" in html and "河北" not in html.split("stats-table")[1]
    assert response.context["table"].total.total == 3


def test_org_mode_rows_are_the_departments_below(client, data):
    client.force_login(data.users.ministry)
    response = client.get(reverse("stats:index"), _query(mode="org", org=str(data.orgs.henan.pk)))
    table = response.context["table"]
    assert [r.label for r in table.rows] == ["郑州市应急管理局", "济源市应急管理局"]
    assert table.total.total == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-13-01"}, "开始日期格式不正确"),
        ({"start": "2026-05-02", "end": "2026-05-01"}, "开始日期不能晚于结束日期"),
        ({"start": "2000-01-01", "end": "2026-05-01"}, "统计时间跨度不能超过20年"),
        ({"region": "130000"}, "所选项不存在或不在您的管辖范围内"),
        ({"region": "<script>"}, "所选项不存在或不在您的管辖范围内"),
        ({"mode": "org", "org": "999999"}, "所选项不存在或不在您的管辖范围内"),
        ({"mode": "org", "org": ""}, "请选择机构"),
        ({"column": "colour"}, "所选项不存在或不在您的管辖范围内"),
    ],
)
def test_bad_input_is_a_400_with_a_chinese_message(client, data, params, message):
    client.force_login(data.users.henan)
    response = client.get(reverse("stats:index"), _query(**params))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_city_cannot_pick_an_org_outside(client, data):
    client.force_login(data.users.zhengzhou)
    response = client.get(reverse("stats:index"), _query(mode="org", org=str(data.orgs.hebei.pk)))
    assert response.status_code == 400


def test_auditor_and_orgless_get_no_statistics(client, data):
    client.force_login(data.users.auditor)
    assert client.get(reverse("stats:index")).status_code == 403
    assert client.get(reverse("stats:table_xlsx"), _query()).status_code == 403


def test_table_xlsx_is_audited(client, data):
    client.force_login(data.users.zhengzhou)
    response = client.get(reverse("stats:table_xlsx"), _query(column="status"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "郑州市举报单统计表" in ws["A1"].value
    log = AuditLog.objects.get(action="data.export")
    assert log.detail["kind"] == "stats_table" and log.result == "success"


def test_background_exports_run_and_download(client, data, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    client.force_login(data.users.zhengzhou)
    for kind in ("table", "analysis"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("stats:export_start"), {**_query(), "kind": kind})
        assert response.status_code == 302
    exports = list(Export.objects.order_by("id"))
    assert [(e.kind, e.state, e.progress) for e in exports] == [
        ("table", "done", 100),
        ("analysis", "done", 100),
    ]
    page = client.get(reverse("stats:exports"))
    assert "下载" in page.content.decode()
    table = client.get(reverse("stats:export_download", args=[exports[0].pk]))
    wb = load_workbook(io.BytesIO(b"".join(table.streaming_content)))
    assert {"按举报形式", "按行业", "按问题类型", "按办理状态"} <= set(wb.sheetnames)
    assert any(name.startswith("县区明细") for name in wb.sheetnames)
    text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    assert "金水区" in text and "河北" not in text and "济源" not in text
    doc = client.get(reverse("stats:export_download", args=[exports[1].pk]))
    assert doc.status_code == 200 and doc["Content-Disposition"].startswith("attachment")
    # Somebody else's export is a 404, like one that does not exist.
    client.force_login(data.users.henan)
    assert client.get(reverse("stats:export_download", args=[exports[0].pk])).status_code == 404
    assert AuditLog.objects.filter(action="data.export").count() == 4  # two requests, two downloads


def test_export_progress_partial_polls_while_running(client, data):
    client.force_login(data.users.henan)
    Export.objects.create(
        kind="table", user=data.users.henan, title="测试", params={}, state="running", progress=40
    )
    response = client.get(reverse("stats:exports"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html and "<html" not in html


def test_failed_export_says_why(data, settings):
    from apps.stats.services import StatsQuery, export_run

    export = Export.objects.create(
        kind="table",
        user=data.users.auditor,
        title="x",
        params=StatsQuery(mode="region", start=START, end=TODAY).params(),
    )
    export_run(export.pk)
    export.refresh_from_db()
    assert export.state == "failed" and "权限" in export.error


def test_too_many_running_exports_are_refused(client, data):
    client.force_login(data.users.henan)
    for _ in range(3):
        Export.objects.create(kind="table", user=data.users.henan, title="x", params={}, state="pending")
    response = client.post(reverse("stats:export_start"), {**_query(), "kind": "table"}, follow=True)
    assert "导出任务在生成中" in response.content.decode()
    assert Export.objects.count() == 3
