"""The 按机构 dropdown (forms.org_choices) on the real national org tree: what the ministry and a
city bureau can pick, and never an org outside the user's subtree."""

from __future__ import annotations

import pytest

from apps.orgs.models import Org
from apps.stats.forms import org_choices
from tests.factories import OrgFactory, UserFactory


@pytest.fixture
def tree(all_regions):
    from apps.orgs.generate import org_tree_generate

    org_tree_generate()
    return {code: Org.objects.get(code=code) for code in ("MEM", "EM410000", "EM410100")}


def _names(user) -> dict[int, str]:
    return {int(pk): label.lstrip("\u3000") for pk, label in org_choices(user)}


def test_the_ministry_picks_bureaus_the_mine_safety_administration_provinces_and_cities(tree):
    choices = _names(UserFactory(org=tree["MEM"]))
    names = set(choices.values())
    assert {"应急管理部", "危险化学品安全监督管理司", "调查统计司", "国家矿山安全监察局"} <= names
    assert {"河南省应急管理厅", "郑州市应急管理局"} <= names
    assert set(
        Org.objects.filter(parent=tree["MEM"], kind=Org.Kind.BUREAU).values_list("pk", flat=True)
    ) <= set(choices), "every 司局"
    assert not Org.objects.filter(pk__in=choices, kind=Org.Kind.INTERNAL).exists()


def test_a_city_picks_itself_and_its_counties_only(tree):
    city = tree["EM410100"]
    choices = _names(UserFactory(org=city))
    counties = set(Org.objects.filter(parent=city, kind=Org.Kind.EMERGENCY).values_list("pk", flat=True))
    assert len(counties) > 5 and counties <= set(choices)
    assert choices[city.pk] == "郑州市应急管理局"
    assert Org.objects.get(code="EM410105").name in choices.values()  # 金水区应急管理局
    subtree = set(Org.objects.subtree_of(city).values_list("pk", flat=True))
    assert set(choices) <= subtree
    for outside in ("EM410000", "EM410200", "EM130000", "MEM", "MINE"):
        assert Org.objects.get(code=outside).pk not in choices


def test_a_province_never_sees_another_province(tree):
    province = tree["EM410000"]
    choices = _names(UserFactory(org=province))
    assert set(choices) <= set(Org.objects.subtree_of(province).values_list("pk", flat=True))
    assert "郑州市应急管理局" in choices.values() and "金水区应急管理局" in choices.values()
    assert not any(name.startswith("河北") for name in choices.values())


def test_a_department_account_gets_its_bureaus_choices(tree):
    """A 内设机构's staff pick from what the bureau it belongs to covers."""
    city = tree["EM410100"]
    dept = OrgFactory(
        code="EM410100-D01",
        name="执法支队",
        kind=Org.Kind.INTERNAL,
        level=city.level,
        parent=city,
        region=city.region,
    )
    assert org_choices(UserFactory(org=dept)) == org_choices(UserFactory(org=city))
