from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def assert_constant_queries(client, url: str, grow, limit: int) -> None:
    """The page's query count does not grow with its rows (no N+1), and stays under `limit`
    (the staff layout's header counts included)."""
    before = queries_for(client, url)
    grow()
    after = queries_for(client, url)
    assert after == before, f"{url}: {before} queries, then {after} with more rows"
    assert after <= limit, f"{url}: {after} queries"
