"""Every staff page and API operation naming a report answers 404 for a report outside the user's
jurisdiction, exactly as for one that does not exist.

The URL patterns are enumerated from the project's resolver, so a page or operation added later
(by any app) that names a report as `reports/<int:pk>` or `<int:report_id>` is covered without
editing this test. API bodies are generated from the OpenAPI schema so that input validation
cannot answer before the scope check does.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver

from apps.reports.models import Attachment
from apps.reports.tokens import issue_api_token
from config.api import api
from tests.reports.helpers import new_report, png_bytes

pytestmark = pytest.mark.django_db

REPORT_IN_ROUTE = re.compile(r"reports/<int:(pk|report_id)>")


def report_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted({route for route in walk(get_resolver().url_patterns) if REPORT_IN_ROUTE.search(route)})


def fill(route: str, report_pk: int, token: str) -> str:
    path = re.sub(r"<int:(pk|report_id)>", str(report_pk), route)
    path = re.sub(r"<(?:str:)?token>", token, path)
    assert "<" not in path, f"unknown converter in {route}: extend fill()"
    return "/" + path


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def example(schema, node):
    node = _resolve(schema, node)
    if "anyOf" in node:
        return example(schema, next(n for n in node["anyOf"] if n.get("type") != "null"))
    if "enum" in node:
        return node["enum"][-1]
    kind = node.get("type")
    if kind == "object":
        return {
            name: example(schema, prop)
            for name, prop in node.get("properties", {}).items()
            if name in node.get("required", [])
        }
    return {
        "string": "2024-01-02" if node.get("format") == "date" else "理由",
        "integer": 1,
        "number": 1,
        "boolean": False,
        "array": [],
    }.get(kind)


def api_bodies():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    bodies = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            )
            bodies[(path, method)] = example(schema, body) if body else None
    return bodies


def test_enumeration_finds_the_known_pages():
    routes = report_routes()
    for expected in (
        "reports/<int:pk>/",
        "reports/<int:pk>/accept/",
        "reports/<int:pk>/attachments/<str:token>/",
        "api/v1/reports/<int:report_id>",
        "api/v1/reports/<int:report_id>/close",
    ):
        assert expected in routes
    assert len(routes) >= 25


def test_every_report_url_is_404_outside_jurisdiction(world, client):
    report = new_report(world, world.orgs.hebei, region_code="130100")  # 河北省's report
    from django.core.files.base import ContentFile

    attachment = Attachment(
        report=report,
        token="tok-secret",
        display_name="a.png",
        content_type="image/png",
        size=10,
        sha256="0" * 64,
    )
    attachment.file.save("tok-secret", ContentFile(png_bytes()), save=True)
    missing_pk = report.pk + 1000
    client.force_login(world.users.jinshui)  # a 河南 user: 河北's report is outside their jurisdiction
    token = issue_api_token(user=world.users.jinshui)
    bodies = api_bodies()
    checked = 0
    for route in report_routes():
        url = fill(route, report.pk, attachment.token)
        missing_url = fill(route, missing_pk, attachment.token)
        is_api = route.startswith("api/")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if is_api else {}
        statuses = {}
        for method in ("get", "post"):
            body = (
                bodies.get(("/" + re.sub(r"<int:report_id>", "{report_id}", route), method))
                if is_api
                else None
            )
            kwargs = (
                {"data": body or {}, "content_type": "application/json"}
                if is_api and method == "post"
                else {}
            )
            response = getattr(client, method)(url, **headers, **kwargs)
            missing = getattr(client, method)(missing_url, **headers, **kwargs)
            assert response.status_code == missing.status_code, (route, method)
            statuses[method] = response.status_code
        assert set(statuses.values()) <= {404, 405}, (route, statuses)
        assert 404 in statuses.values(), (route, statuses)
        checked += 1
    assert checked == len(report_routes())
    # The same user reaches their own report through the same pages (the test can fail).
    own = new_report(world)
    assert client.get(fill("reports/<int:pk>/", own.pk, "x")).status_code == 200
    assert (
        client.get(
            fill("api/v1/reports/<int:report_id>", own.pk, "x"), HTTP_AUTHORIZATION=f"Bearer {token}"
        ).status_code
        == 200
    )


def test_superior_sees_subordinate_report_but_not_sideways(world, client):
    report = new_report(world)  # 金水区
    for who, status in (
        ("henan", 200),
        ("zhengzhou", 200),
        ("zhongyuan", 404),
        ("hebei", 404),
        ("jinshui_dept", 404),
        ("auditor", 404),
    ):
        client.force_login(getattr(world.users, who))
        assert client.get(f"/reports/{report.pk}/").status_code == status, who
