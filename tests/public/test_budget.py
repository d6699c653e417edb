"""Mobile first: what a phone downloads before it can report, gzip-compressed as whitenoise serves
it in production. ECharts is not on this list: it is fetched after the form page has loaded (see
static/js/public-map.js), and the map GeoJSON is map data, outside the budget."""

import gzip
import re

from django.contrib.staticfiles import finders

from tests.public.conftest import token_from

BUDGET = 300 * 1024


def first_load_bytes(html: str) -> tuple[int, list[str]]:
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html)
    total = len(gzip.compress(html.encode("utf-8")))
    for url in assets:
        path = finders.find(url.removeprefix("/static/"))
        assert path, f"{url} is not a static file"
        with open(path, "rb") as f:
            total += len(gzip.compress(f.read()))
    return total, assets


def test_notice_and_form_fit_the_first_load_budget(client, country, server_clock):
    notice = client.get("/jubao/").content.decode()
    total, assets = first_load_bytes(notice)
    assert total <= BUDGET, f"notice page: {total} bytes"
    assert not any("echarts" in a for a in assets)
    assert all(not a.startswith("http") for a in re.findall(r'(?:src|href)="([^"]+)"', notice))

    server_clock.advance(16)
    form = client.post("/jubao/start", {"session": token_from(notice), "mode": "anonymous"}).content.decode()
    total, assets = first_load_bytes(form)
    assert total <= BUDGET, f"form page: {total} bytes"
    # ECharts is named only as a data attribute, loaded by script after the page is usable.
    assert not any("echarts" in a for a in assets) and "data-echarts-src" in form
    # No request leaves the site: no absolute URLs to other hosts.
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', form)
