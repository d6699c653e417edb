import pytest
from django.core.exceptions import ValidationError

from apps.public.validators import clean_description, clean_id_card, id_card_checksum_ok, reject_markup


@pytest.mark.parametrize("number", ["11010519491231002X", "11010119900307803X"])
def test_valid_id_numbers(number):
    assert id_card_checksum_ok(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13
        "11010530001231002X",  # born in the future
        "1101051949123100",  # too short
        "11010519491231002Y",
    ],
)
def test_invalid_id_numbers(number):
    assert not id_card_checksum_ok(number)


def test_full_width_and_lower_case_id_number_is_normalised():
    assert clean_id_card("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    with pytest.raises(ValidationError, match="身份证号码不正确"):
        clean_id_card("110105194912310021")


def test_description_limits_count_characters_not_bytes():
    assert clean_description("  " + "字" * 20 + "  ") == "字" * 20
    with pytest.raises(ValidationError, match="至少20个字（当前19字）"):
        clean_description("字" * 19)
    assert len(clean_description("字" * 4000)) == 4000
    with pytest.raises(ValidationError, match="不能超过4000字（当前4001字）"):
        clean_description("字" * 4001)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<ScRiPt src=//x>",
        "< iframe src=x>",
        "<svg onload=alert(1)>",
        "点击 javascript:alert(1)",
        "<a href=x>链接</a>",
    ],
)
def test_markup_is_refused(text):
    with pytest.raises(ValidationError, match="网页代码"):
        reject_markup(text, "举报内容")


@pytest.mark.parametrize("text", ["温度<50度", "A&B公司", "压力 > 2MPa <不合格>", "a<b 且 c>d"])
def test_ordinary_text_with_angle_brackets_is_allowed(text):
    reject_markup(text, "举报内容")
