"""新建举报's region picker: cascading province → city → county selects limited to the user's
jurisdiction, a leaf region posted by its code, and a round trip that works without JavaScript."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.orgs.models import Org
from apps.orgs.scoping import org_region_scope
from apps.regions.picker import NATION, RegionScope, region_selects
from apps.reports.forms import ReportEntryForm
from apps.reports.models import Report, ReportDraft
from tests.factories import OrgFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def entry(world, **overrides) -> dict:
    data = {
        "channel": world.letter.pk,
        "received_on": timezone.localdate().isoformat(),
        "anonymity": "anonymous",
        "region_province": "410000",
        "region_city": "410100",
        "region_county": "410105",
        "reported_unit_name": "丁化工厂",
        "industry": world.hazchem.pk,
        "problem_type": world.major_hazard.pk,
        "description": "违规动火",
    }
    data.update(overrides)
    return data


def selects_of(html: str) -> dict[str, list[tuple[str, str]]]:
    """name -> [(value, label)] of each region select on the page."""
    found = {}
    for name, body in re.findall(r'<select[^>]*name="(region_\w+)"[^>]*>(.*?)</select>', html, re.S):
        found[name] = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body)
    return found


def chosen(html: str, name: str) -> str:
    body = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    match = re.search(r'<option value="([^"]*)" selected>', body)
    return match.group(1) if match else ""


def form_for(user, data) -> ReportEntryForm:
    return ReportEntryForm(data, org=user.org.owning_org())


@pytest.fixture
def ministry_user(world):
    ministry = OrgFactory(code="MEM", name="应急管理部", level=Org.Level.MINISTRY)
    return UserFactory(username="ministry_user", org=ministry)


class TestValidation:
    @pytest.mark.parametrize(
        "region,words",
        [
            ({"region_city": "130100", "region_county": ""}, "不在本单位管辖范围内"),
            ({"region_county": "", "region_city": "410100"}, "请继续选择郑州市下属的县"),
            ({"region_county": "999999"}, "不存在"),
            ({"region_county": "<script>"}, "不存在"),
            ({"region_county": "4101050"}, "不存在"),
            ({"region_province": "", "region_city": "", "region_county": ""}, "请选择举报事项所在地"),
        ],
    )
    def test_bad_region_is_a_chinese_message(self, world, region, words):
        form = form_for(world.users.zhengzhou, entry(world, **region))
        assert not form.is_valid()
        assert words in " ".join(form.errors["region"])

    def test_a_leaf_in_the_jurisdiction_is_the_cleaned_region(self, world):
        form = form_for(world.users.zhengzhou, entry(world, region_county="410102"))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["region"] == world.regions["410102"]

    def test_an_unserved_region_is_refused(self, world, ministry_user):
        RegionFactory(code="810000", name="香港特别行政区", is_served=False)
        data = entry(world, region_province="810000", region_city="", region_county="")
        form = form_for(ministry_user, data)
        assert not form.is_valid() and "不由本系统受理" in form.errors["region"][0]

    def test_an_internal_department_enters_for_its_org(self, world):
        form = form_for(world.users.jinshui_dept, entry(world, region_county="410102"))
        assert not form.is_valid() and "中原区不在本单位管辖范围内" in form.errors["region"][0]

    def test_outside_the_jurisdiction_the_page_says_so_and_nothing_is_created(self, world, client):
        client.force_login(world.users.zhengzhou)
        data = entry(world, region_province="130000", region_city="130100", region_county="", intent="submit")
        response = client.post(reverse("reports:create"), data)
        assert response.status_code == 400
        assert "石家庄市不在本单位管辖范围内" in response.content.decode()
        assert not Report.objects.exists()


class TestScope:
    def test_a_zone_covers_only_its_regions(self, world):
        # 兵团-like: no region of its own, only extra regions. It is not the ministry.
        zone = OrgFactory(code="ZONE", name="某功能区应急管理局", level=Org.Level.CITY, kind=Org.Kind.ZONE)
        zone.extra_regions.set([world.regions["410102"]])
        scope = org_region_scope(zone)
        assert scope.allows(world.regions["410102"]) and not scope.allows(world.regions["410105"])
        assert scope.ancestor_codes == {"410000", "410100", "410102"}
        assert list(scope.leaves()) == [world.regions["410102"]]

    def test_the_ministry_covers_everything(self, ministry_user):
        assert org_region_scope(ministry_user.org) == NATION

    def test_selects_are_forced_down_to_the_jurisdiction(self, world, django_assert_max_num_queries):
        scope = RegionScope.of([world.regions["410100"]])
        with django_assert_max_num_queries(4):
            province, city, county = region_selects("410105", scope)
        assert province["locked"] and province["selected"] == "410000"
        assert [o["code"] for o in province["options"]] == ["410000"]  # not 河北省
        assert city["locked"] and city["selected"] == "410100"
        assert not county["locked"] and county["selected"] == "410105"
        assert [o["code"] for o in county["options"]] == ["410102", "410105"]

    def test_a_choice_outside_the_scope_is_not_drawn(self, world):
        scope = RegionScope.of([world.regions["410100"]])
        province, city, county = region_selects("130100", scope)
        assert province["selected"] == "410000" and city["selected"] == "410100" and county["selected"] == ""


class TestPage:
    def test_renders_the_picker_for_a_city_user(self, world, client):
        client.force_login(world.users.zhengzhou)
        html = client.get(reverse("reports:create")).content.decode()
        selects = selects_of(html)
        # Forced levels have one option and no empty choice; the county is chosen from 郑州市's.
        assert selects["region_province"] == [("410000", "河南省")]
        assert selects["region_city"] == [("410100", "郑州市")]
        assert selects["region_county"] == [("", "请选择"), ("410102", "中原区"), ("410105", "金水区")]
        assert 'data-region-picker="auto"' in html and 'data-scope-roots="410100"' in html
        assert "js/region-picker.js" in html
        assert '<label class="form-label small mb-1" for="id_region_county">县（市、区、旗）</label>' in html
        # The CSP forbids inline script and style.
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
        assert 'style="' not in html

    def test_the_ministry_starts_from_the_provinces(self, world, ministry_user, client):
        client.force_login(ministry_user)
        selects = selects_of(client.get(reverse("reports:create")).content.decode())
        assert selects["region_province"] == [("", "请选择"), ("130000", "河北省"), ("410000", "河南省")]
        assert selects["region_city"] == [("", "请先选择上一级")]

    def test_without_javascript_each_level_opens_the_next(self, world, ministry_user, client):
        client.force_login(ministry_user)
        data = entry(world, region_province="410000", region_city="", region_county="", intent="region")
        response = client.post(reverse("reports:create"), data)
        html = response.content.decode()
        assert response.status_code == 200 and "invalid-feedback" not in html
        assert selects_of(html)["region_city"] == [("", "请选择"), ("410100", "郑州市")]
        assert chosen(html, "region_province") == "410000"
        assert 'value="丁化工厂"' in html  # the rest of the form is kept
        assert not Report.objects.exists() and not ReportDraft.objects.exists()

    def test_a_draft_keeps_the_region(self, world, client):
        client.force_login(world.users.zhengzhou)
        client.post(reverse("reports:create"), entry(world, region_county="410102", intent="draft"))
        draft = ReportDraft.objects.get()
        assert json.loads(draft.data)["region"] == "410102"
        html = client.get(reverse("reports:draft_edit", args=[draft.pk])).content.decode()
        assert chosen(html, "region_county") == "410102"

    def test_submit_posts_the_leaf_code(self, world, client):
        client.force_login(world.users.henan)
        response = client.post(reverse("reports:create"), entry(world, intent="submit"))
        assert response.status_code == 302
        assert Report.objects.get().region == world.regions["410105"]
