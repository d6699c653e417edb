"""The cascading 按机构 picker: the first dropdown lists the upper levels (forms.ORG_DEPTH), 下级机构
one org's deeper children (stats:org_children, filled by static/js/stats-form.js). The form accepts
any active org of the 按机构 kinds in the user's subtree and nothing else."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.orgs.models import Org
from apps.stats.models import Export
from tests.factories import OrgFactory, UserFactory
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=40)
REFUSED = "所选项不存在或不在您的管辖范围内"
IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


def _query(**extra) -> dict:
    return {"mode": "org", "start": START.isoformat(), "end": TODAY.isoformat(), "column": "channel", **extra}


def _children_url(org) -> str:
    return reverse("stats:org_children", args=[org.pk])


# --- The form and the table (the small world of conftest.py) ------------------------------------


@pytest.fixture
def data(world):
    for i, leaf in enumerate(("410105", "410105", "410102", "130102")):
        make_report(world, leaf=leaf, received=at(START + dt.timedelta(days=i)))
    return world


def test_the_ministry_runs_the_table_of_a_county_bureau(client, data):
    """A county bureau is below the first dropdown's depth: sent as `org` (a bookmark) or as
    下级机构 under its city (what the picker submits), the table is its own, and the form comes
    back with the city in the first dropdown and the county in 下级机构."""
    o = data.orgs
    client.force_login(data.users.ministry)
    for params in ({"org": o.jinshui.pk}, {"org": o.zhengzhou.pk, "suborg": o.jinshui.pk}):
        response = client.get(reverse("stats:index"), _query(**params))
        assert response.status_code == 200
        table = response.context["table"]
        assert table.title.startswith("金水区应急管理局举报单统计表")
        assert table.total.total == 2
        html = response.content.decode()
        assert "金水区应急管理局举报单统计表" in html
        form = response.context["form"]
        assert form["org"].value() == str(o.zhengzhou.pk)
        assert form["suborg"].value() == str(o.jinshui.pk)
        assert f'<option value="{o.jinshui.pk}" selected>金水区应急管理局</option>' in html
        # Its sibling is offered too (a user without JavaScript moves on from here), never a 内设机构.
        assert f'<option value="{o.zhongyuan.pk}">中原区应急管理局</option>' in html
        assert "执法监察大队" not in html
        assert "金水区应急管理局" in response.context["description"]


def test_a_listed_org_keeps_the_first_dropdown_and_offers_its_children(client, data):
    o = data.orgs
    client.force_login(data.users.ministry)
    # 郑州 is at the deepest listed level: its counties are drawn in 下级机构 after the submit.
    html = client.get(reverse("stats:index"), _query(org=o.zhengzhou.pk)).content.decode()
    assert f'<option value="{o.zhengzhou.pk}" selected>' in html
    assert f'<option value="{o.jinshui.pk}">金水区应急管理局</option>' in html
    assert 'name="suborg"' in html and 'data-org-children="/stats/orgs/0/children/" hidden' not in html
    # 河南's cities are listed in the first dropdown already: 下级机构 stays empty and hidden.
    response = client.get(reverse("stats:index"), _query(org=o.henan.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert [c for c, _ in response.context["form"].fields["suborg"].choices] == [""]
    assert 'data-org-children="/stats/orgs/0/children/" hidden' in html


def test_a_stale_suborg_gives_way_to_the_first_dropdown(client, data):
    """Without JavaScript 下级机构 keeps the county of the previous query when the first dropdown is
    changed: the county counts only while it is below the org chosen there."""
    o = data.orgs
    client.force_login(data.users.ministry)
    response = client.get(reverse("stats:index"), _query(org=o.hebei.pk, suborg=o.jinshui.pk))
    assert response.status_code == 200
    assert response.context["table"].title.startswith("河北省应急管理厅")
    assert response.context["form"]["suborg"].value() == ""


@pytest.mark.parametrize("field", ["org", "suborg"])
def test_a_city_cannot_query_a_county_of_another_city(client, data, field):
    o = data.orgs
    client.force_login(data.users.zhengzhou)
    params = {"org": o.zhengzhou.pk, "suborg": o.changan.pk} if field == "suborg" else {"org": o.changan.pk}
    response = client.get(reverse("stats:index"), _query(**params))
    assert response.status_code == 400 and response.context["table"] is None
    assert REFUSED in response.content.decode()
    assert REFUSED in response.context["form"].errors[field][0]


@pytest.mark.parametrize("bad", ["jinshui_dept", "inactive", "not-a-number", "-1", "0", "9" * 30])
def test_inactive_departments_and_garbage_are_refused(client, data, bad):
    o = data.orgs
    if bad == "inactive":
        Org.objects.filter(pk=o.zhongyuan.pk).update(is_active=False)
    value = {"jinshui_dept": o.jinshui_dept.pk, "inactive": o.zhongyuan.pk}.get(bad, bad)
    client.force_login(data.users.ministry)
    response = client.get(reverse("stats:index"), _query(org=value))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_the_default_period_is_drawn_in_iso(client, data):
    """A type=date input drops "2026/01/01" (the zh-hans format): the untouched form then came
    back as "请选择开始日期" in a real browser."""
    client.force_login(data.users.ministry)
    html = client.get(reverse("stats:index")).content.decode()
    today = timezone.localdate()
    assert f'name="start" value="{today.replace(month=1, day=1).isoformat()}"' in html
    assert f'name="end" value="{today.isoformat()}"' in html


def test_the_form_check_does_not_load_the_whole_tree(client, data, django_assert_max_num_queries):
    """The deep org is checked by id: the query count does not grow with the tree."""
    client.force_login(data.users.ministry)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("stats:index"), _query(org=data.orgs.jinshui.pk))
    assert response.status_code == 200


def test_the_table_export_follows_the_county(client, data):
    client.force_login(data.users.ministry)
    params = _query(org=data.orgs.zhengzhou.pk, suborg=data.orgs.jinshui.pk)
    response = client.get(reverse("stats:table_xlsx"), params)
    assert response.status_code == 200
    assert "金水区应急管理局" in load_workbook(io.BytesIO(response.content)).active["A1"].value


def test_analysis_accepts_a_county_bureau(client, data, settings, django_capture_on_commit_callbacks):
    o = data.orgs
    settings.TASKS = IMMEDIATE
    client.force_login(data.users.ministry)
    url = reverse("stats:analysis")
    # A bad period comes back with the picker on the county.
    bad = {**_query(org=o.zhengzhou.pk, suborg=o.jinshui.pk), "start": "2026-13-01"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert response.context["form"]["org"].value() == str(o.zhengzhou.pk)
    assert response.context["form"]["suborg"].value() == str(o.jinshui.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _query(org=o.zhengzhou.pk, suborg=o.jinshui.pk))
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.params["org_id"] == o.jinshui.pk and "金水区" in export.title
    client.force_login(data.users.zhengzhou)
    response = client.post(url, _query(org=o.changan.pk))
    assert response.status_code == 400 and REFUSED in response.content.decode()


# --- The children endpoint on the real national tree --------------------------------------------


@pytest.fixture
def tree(all_regions):
    from apps.orgs.generate import org_tree_generate

    org_tree_generate()
    return {
        code: Org.objects.get(code=code) for code in ("MEM", "EM410000", "EM410100", "EM130000", "EM130100")
    }


def _county_bureaus(city) -> set[int]:
    return set(Org.objects.filter(parent=city, kind=Org.Kind.EMERGENCY).values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["MEM", "EM410100"])
def test_children_lists_a_citys_county_bureaus(client, tree, who):
    city = tree["EM410100"]
    OrgFactory(
        code="EM410100-D01",
        name="执法支队",
        kind=Org.Kind.INTERNAL,
        level=city.level,
        parent=city,
        region=city.region,
    )
    client.force_login(UserFactory(org=tree[who]))
    response = client.get(_children_url(city))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == city.pk and body["name"] == "郑州市应急管理局"
    ids = {c["id"] for c in body["children"]}
    assert len(ids) > 5 and ids == _county_bureaus(city)
    assert "金水区应急管理局" in {c["name"] for c in body["children"]}
    assert "执法支队" not in {c["name"] for c in body["children"]}  # 内设机构


def test_the_ministrys_children_are_bureaus_the_mine_administration_and_provinces(client, tree):
    client.force_login(UserFactory(org=tree["MEM"]))
    names = {c["name"] for c in client.get(_children_url(tree["MEM"])).json()["children"]}
    assert {"危险化学品安全监督管理司", "国家矿山安全监察局", "河南省应急管理厅"} <= names


def test_children_is_a_404_outside_the_subtree(client, tree):
    client.force_login(UserFactory(org=tree["EM410000"]))
    assert client.get(_children_url(tree["EM130100"])).status_code == 404  # 河北's 石家庄
    assert client.get(_children_url(tree["EM130000"])).status_code == 404
    assert client.get(_children_url(tree["MEM"])).status_code == 404  # above
    assert client.get(reverse("stats:org_children", args=[99999999])).status_code == 404
    assert client.get(_children_url(tree["EM410100"])).status_code == 200
    client.force_login(UserFactory(org=tree["EM410100"]))
    assert client.get(_children_url(Org.objects.get(code="EM410300"))).status_code == 404  # 洛阳


def test_children_of_a_departments_account_are_its_bureaus(client, tree):
    """A 内设机构's staff pick within the org it belongs to (as the first dropdown does)."""
    city = tree["EM410100"]
    dept = OrgFactory(
        code="EM410100-D02",
        name="统计科",
        kind=Org.Kind.INTERNAL,
        level=city.level,
        parent=city,
        region=city.region,
    )
    client.force_login(UserFactory(org=dept))
    response = client.get(_children_url(city))
    assert response.status_code == 200
    assert {c["id"] for c in response.json()["children"]} == _county_bureaus(city)


def test_children_needs_login_and_statistics(client, tree):
    url = _children_url(tree["EM410100"])
    assert client.get(url).status_code == 302  # to the login page
    from apps.accounts.models import User

    client.force_login(UserFactory(org=tree["MEM"], role=User.Role.AUDITOR))
    assert client.get(url).status_code == 403


def test_children_query_count_is_pinned(client, tree, django_assert_max_num_queries):
    """Independent of the number of children: session, user, the statistics scope, the org, its
    children, and the session's save (3 with its savepoint)."""
    client.force_login(UserFactory(org=tree["MEM"]))
    client.get(_children_url(tree["EM410100"]))  # warm per-process caches
    for org in (tree["EM410100"], tree["MEM"], tree["EM410000"]):
        with django_assert_max_num_queries(9):
            response = client.get(_children_url(org))
        assert response.status_code == 200 and response.json()["children"]


def test_the_ministry_queries_a_real_county_bureau(client, tree):
    jinshui = Org.objects.get(code="EM410105")
    client.force_login(UserFactory(org=tree["MEM"]))
    response = client.get(reverse("stats:index"), _query(org=jinshui.pk))
    assert response.status_code == 200
    assert response.context["table"].title.startswith("金水区应急管理局举报单统计表")
    assert response.context["form"]["org"].value() == str(tree["EM410100"].pk)
