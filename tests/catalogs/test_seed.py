import pytest

from apps.catalogs.models import Channel, Industry, ProblemType
from apps.catalogs.seed import CHANNELS, INDUSTRIES_IN_REMIT, INDUSTRIES_REFERRED, seed_catalogs

pytestmark = pytest.mark.django_db


def test_problem_types_are_the_four_of_the_spec():
    assert list(ProblemType.objects.values_list("name", flat=True)) == [
        "涉嫌瞒报谎报生产安全事故",
        "涉嫌存在重大事故隐患",
        "涉嫌存在安全生产违法行为",
        "其他",
    ]
    assert ProblemType.objects.get(code="concealed_accident").reward_basis == "concealed_deaths"
    assert ProblemType.objects.get(code="major_hazard").reward_basis == "fine"


def test_industries_in_remit_and_referred_with_their_departments():
    in_remit = list(Industry.objects.filter(in_remit=True).values_list("name", flat=True))
    assert in_remit == [name for _, name in INDUSTRIES_IN_REMIT]
    assert "金属与非金属矿山(含尾矿库)" in in_remit and "化工(含石油化工)" in in_remit
    referred = {i.name: i.competent_department for i in Industry.objects.filter(in_remit=False)}
    assert set(referred) == {
        "道路交通",
        "建筑施工",
        "城镇燃气",
        "水上运输",
        "渔业船舶",
        "民航",
        "铁路",
        "民用爆炸物品",
        "电力能源",
        "污染防治",
    }
    assert all(referred.values()), "every referred industry names the department it goes to"
    assert len(INDUSTRIES_REFERRED) == 10


def test_channels():
    names = list(Channel.objects.values_list("name", flat=True))
    assert names == [
        "网络(官网)",
        "小程序",
        "电话",
        "12350",
        "信件",
        "来访",
        "传真",
        "电子邮件",
        "其他渠道补录",
    ]
    assert set(Channel.objects.filter(is_public=True).values_list("code", flat=True)) == {
        "web",
        "miniprogram",
    }
    assert len(CHANNELS) == 9


def test_seeding_again_adds_nothing_and_keeps_edits():
    Industry.objects.filter(code="commerce").update(name="商贸流通")
    before = (ProblemType.objects.count(), Industry.objects.count(), Channel.objects.count())
    seed_catalogs(ProblemType, Industry, Channel)
    assert (ProblemType.objects.count(), Industry.objects.count(), Channel.objects.count()) == before
    assert Industry.objects.get(code="commerce").name == "商贸流通"


def test_database_refuses_a_referred_industry_without_department():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Industry.objects.create(code="x", name="某行业", in_remit=False, competent_department="")
