"""The staff pages against the WCAG 2.0/2.1 A and AA rules (axe-core, tests/axe.py), contrast
included, in Chromium: the case-handling pages with reports in three states and their action
forms, the lists, 督办, statistics, spot checks, system management and the audit log, each as the
user who works on it. A page that answers anything but 200 fails too, so a renamed address
cannot turn the check into a scan of the 404 page."""

import pytest

from apps.reports.actions.close import report_close
from tests.axe import axe_violations
from tests.reports.helpers import new_report, run_to_verifying, verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        # htmx and the dashboard fill parts of some pages after load: scan what the user sees.
        response = page.goto(url, wait_until="networkidle")
        if response.status != 200:
            found.append(f"{url}: HTTP {response.status}")
            continue
        found += [f"{url}: {line}" for line in axe_violations(page)]
    return found


def test_staff_pages_have_no_wcag_violations(browser_as, page, world):
    received = new_report(world, world.orgs.jinshui)
    verifying = run_to_verifying(world)
    closed = run_to_verifying(world)
    verify(world, closed)
    report_close(actor=world.users.jinshui, report=closed, conclusion="true", summary="属实，已整改。")

    page.goto("/login/")
    problems = [f"/login/: {line}" for line in axe_violations(page)]
    problems += scan(
        browser_as(world.users.jinshui),
        [
            "/",
            "/reports/todo/",
            "/reports/new/",
            f"/reports/{received.pk}/",
            f"/reports/{received.pk}/accept/",
            f"/reports/{received.pk}/reject/",
            f"/reports/{verifying.pk}/",
            f"/reports/{closed.pk}/",
            "/reports/all/",
            "/reports/closed/",
            "/reports/unaccepted/",
            "/reports/rewards/",
            "/reports/drafts/",
            "/messages/",
            "/supervision/",
            "/spotchecks/rectify/",
            "/password/change/",
        ],
    )
    problems += scan(browser_as(world.users.jinshui_dept), [f"/reports/{verifying.pk}/feedback/"])
    problems += scan(
        browser_as(world.users.henan),
        [
            "/",
            "/supervision/",
            "/supervision/supervised/",
            f"/supervision/reports/{verifying.pk}/supervise/",
            "/stats/",
            "/stats/analysis/",
            "/stats/exports/",
            "/spotchecks/",
            "/spotchecks/new/",
            "/spotchecks/stats/",
            "/dashboard/",
        ],
    )
    problems += scan(
        browser_as(world.users.henan_admin),
        ["/sysadmin/", "/sysadmin/users/", "/sysadmin/users/new/", "/sysadmin/orgs/"],
    )
    problems += scan(browser_as(world.users.auditor), ["/audit/"])
    assert problems == [], "\n".join(problems)
