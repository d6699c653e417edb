import pytest

from tests.supervision.world import TODAY, build_world, today_is


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def on_today():
    """Run the test on TODAY (a Thursday before 中秋节 and 国庆节 2026)."""
    with today_is(TODAY):
        yield TODAY
