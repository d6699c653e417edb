"""首页 and the 可视化分析 page: who sees what, quick entries, scoping, query counts, no inline script."""

import re

import pytest
from django.urls import reverse

from tests.dashboard.conftest import HEBEI_WORDS, KAIFENG_WORDS, add_report, count_queries

HOME = "/"
SCREEN = "/dashboard/"


def figure(html: str, key: str) -> str:
    match = re.search(rf'id="figure-{key}">([^<]*)<', html)
    assert match, f"figure {key} missing"
    return match.group(1)


def problem_type_table(html: str) -> dict[str, int]:
    table = re.search(r'<table[^>]*id="home-type-table".*?</table>', html, re.S).group(0)
    return {name: int(n) for name, n in re.findall(r"<tr><td>([^<]+)</td><td[^>]*>(\d+)</td></tr>", table)}


def hot_words(html: str) -> list[str]:
    return re.findall(r'<li class="hot-word hot-word-\d" title="\d+件">([^<]+)</li>', html)


def test_ministry_home_shows_the_nation(world, login):
    html = login(world.users.mem).get(HOME).content.decode()
    assert "全国 · " in html
    assert figure(html, "year-total") == "7"
    assert figure(html, "pending") == "8", "every open report, whatever the year"
    assert figure(html, "overdue") == "1", "last year's report was never accepted"
    assert problem_type_table(html) == {
        "涉嫌存在安全生产违法行为": 3, "涉嫌存在重大事故隐患": 2, "其他": 1, "涉嫌瞒报谎报生产安全事故": 1,
    }
    words = hot_words(html)
    assert "储罐" in words and "尾矿库" in words


def test_home_has_the_quick_entries_and_the_users_counts(world, login):
    html = login(world.users.jinshui).get(HOME).content.decode()
    for name in ("reports:create", "reports:todo", "supervision:candidates", "dashboard:screen"):
        assert f'href="{reverse(name)}"' in html
    assert ">新建举报<" in html and "待办举报" in html and "督办举报" in html
    assert figure(html, "todo") == "4", "four hops wait at 金水区 (one from last year)"
    assert figure(html, "supervise") == "0"
    assert figure(html, "supervised") == "0"


def test_supervision_count_on_the_home_page(world, login):
    from apps.supervision.selectors import candidate_count

    html = login(world.users.zhengzhou).get(HOME).content.decode()
    # 郑州 supervises its counties' reports (last year's one at 金水区 is long overdue).
    expected = candidate_count(world.users.zhengzhou)
    assert expected >= 1
    assert figure(html, "supervise") == str(expected)
    assert figure(html, "todo") == "0"


def test_city_home_contains_nothing_from_outside_the_city(world, login):
    html = login(world.users.zhengzhou).get(HOME).content.decode()
    assert "郑州市 · " in html
    assert figure(html, "year-total") == "4"
    assert figure(html, "pending") == "5"
    assert sum(problem_type_table(html).values()) == 4
    assert "其他" not in problem_type_table(html), "开封's report is 其他"
    words = hot_words(html)
    assert "储罐" in words
    for word in KAIFENG_WORDS + HEBEI_WORDS:
        assert word not in html
    assert "开封" not in html and "河北" not in html


def test_county_and_province_homes(world, login):
    county = login(world.users.jinshui).get(HOME).content.decode()
    assert figure(county, "year-total") == "3"
    province = login(world.users.henan).get(HOME).content.decode()
    assert figure(province, "year-total") == "5"
    assert "尾矿库" not in province


def test_bureau_home_is_limited_to_its_industries(world, login):
    html = login(world.users.bureau).get(HOME).content.decode()
    assert figure(html, "year-total") == "2"
    assert problem_type_table(html) == {"涉嫌存在重大事故隐患": 2}


def test_auditor_home_has_no_report_data(world, login):
    response = login(world.users.auditor).get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "审计管理员不查看举报数据" in html
    assert "figure-" not in html and "hot-word" not in html and "home-type" not in html
    assert "储罐" not in html
    assert f'href="{reverse("dashboard:screen")}"' not in html, "no 可视化分析 entry for auditors"


def test_home_requires_login(world, client):
    response = client.get(HOME)
    assert response.status_code == 302 and "login" in response["Location"]


def test_home_query_count_is_pinned_and_independent_of_the_data(world, login):
    client = login(world.users.zhengzhou)
    client.get(HOME)  # warm the session, the working-day table and the hot-word cache
    before = count_queries(lambda: client.get(HOME))
    for i in range(6):
        add_report(world, org_key="zhongyuan", region_code="410102",
                   ptype=["other", "illegal_act"][i % 2], text=f"第{i}家企业粉尘涉爆车间未清扫。")
    after = count_queries(lambda: client.get(HOME))
    assert figure(client.get(HOME).content.decode(), "year-total") == "10"
    assert before == after, "the number of queries must not grow with the reports"
    assert after <= HOME_MAX_QUERIES


# A ceiling rather than an exact number: the statistics layer's count depends on the calendar
# (see tests/dashboard/test_api.py).
HOME_MAX_QUERIES = 20


def test_screen_page_for_each_level(world, login):
    for key, code, name in [("mem", "100000", "全国"), ("henan", "410000", "河南省"),
                            ("zhengzhou", "410100", "郑州市"), ("jinshui", "410105", "金水区"),
                            ("bureau", "100000", "全国")]:
        response = login(getattr(world.users, key)).get(SCREEN)
        assert response.status_code == 200, key
        html = response.content.decode()
        assert f'data-root-code="{code}"' in html, key
        assert f'data-root-name="{name}"' in html, key
        assert 'data-api-url="/api/v1/dashboard/screen/000000"' in html
        assert 'data-geojson-url="/api/v1/regions/000000/geojson"' in html


def test_screen_page_refuses_the_auditor(world, login):
    response = login(world.users.auditor).get(SCREEN)
    assert response.status_code == 403
    assert "当前账号无权查看举报统计数据" in response.content.decode()


def test_screen_requires_login(world, client):
    response = client.get(SCREEN)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", [HOME, SCREEN])
def test_pages_have_no_inline_script(world, login, url):
    html = login(world.users.mem).get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_sidebar_links_the_screen(world, login):
    html = login(world.users.henan).get(HOME).content.decode()
    assert f'href="{reverse("dashboard:screen")}">可视化分析</a>' in html


@pytest.mark.parametrize(
    ("user_key", "opens_screen"),
    [("mem", True), ("bureau", True), ("henan", False), ("jinshui", False), ("auditor", False)],
)
def test_the_first_page_after_sign_in_is_the_screen_for_ministry_users(world, login, user_key, opens_screen):
    """部级用户登录系统后，进入可视化展示界面 (spec 11); everyone else starts on 首页."""
    client = login(getattr(world.users, user_key))
    session = client.session
    session["login_notice"] = True  # what complete_login leaves for the first page
    session.save()
    first = client.get("/")
    if opens_screen:
        assert first.status_code == 302 and first["Location"] == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200
    else:
        assert first.status_code == 200
    # Afterwards 首页 is 首页 for everyone: the notice has been shown.
    assert client.get("/").status_code == 200


def test_a_ministry_administrator_starts_on_the_home_page(world, login):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    admin = UserFactory(org=world.orgs.mem, role=User.Role.ADMIN)
    client = login(admin)
    session = client.session
    session["login_notice"] = True
    session.save()
    assert client.get("/").status_code == 200
