import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.orgs.models import Org
from apps.orgs.services import create_internal_department
from tests.factories import OrgFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    province = OrgFactory(code="EM410000")
    return OrgFactory(code="EM410105", level="county", parent=province, region=RegionFactory(code="410105"))


def test_creates_below_the_org_with_derived_codes(county):
    first = create_internal_department(county, " 执法监察股 ")
    second = create_internal_department(county, "综合股")
    assert (first.code, first.name, second.code) == ("EM410105-D01", "执法监察股", "EM410105-D02")
    assert (first.kind, first.level, first.parent) == ("internal", "county", county)
    assert first.region == county.region
    assert first.path == f"{county.path}{first.pk:08d}/" and first.depth == county.depth + 1
    assert first.owning_org() == county


def test_derived_codes_skip_used_numbers(county):
    create_internal_department(county, "甲科", code="EM410105-D07")
    assert create_internal_department(county, "乙科").code == "EM410105-D08"


def test_explicit_code(county):
    assert create_internal_department(county, "综合科", code="JS-ZHK").code == "JS-ZHK"


@pytest.mark.parametrize(("name", "code", "message"), [
    ("执法监察股", None, "同名内设机构"),
    ("", None, "请填写内设机构名称"),
    ("另一个", "EM410000", "机构代码已被使用"),
    ("另一个", "X" * 33, "不能超过32个字符"),
])
def test_rejects(county, name, code, message):
    create_internal_department(county, "执法监察股")
    with pytest.raises(ValidationError, match=message):
        create_internal_department(county, name, code=code)


def test_no_departments_inside_departments(county):
    dept = create_internal_department(county, "综合股")
    with pytest.raises(ValidationError, match="不能再设内设机构"):
        create_internal_department(dept, "文书组")


def test_same_name_under_different_orgs_is_fine(county):
    other = OrgFactory(code="EM410102", level="county", parent=county.parent)
    create_internal_department(county, "综合股")
    create_internal_department(other, "综合股")


def test_database_enforces_unique_names_per_org(county):
    create_internal_department(county, "综合股")
    with pytest.raises(IntegrityError), transaction.atomic():
        Org(code="DUP", name="综合股", kind="internal", level="county", parent=county).save()
