"""The header's 督办 badge: the number, and "99+" once it passes the cap."""

import pytest
from django.core.cache import cache

from apps.supervision import context_processors, selectors

pytestmark = pytest.mark.django_db


def test_the_badge_shows_the_number_then_caps_it(rf, world, monkeypatch):
    request = rf.get("/")
    request.user = world.users.henan
    monkeypatch.setattr(selectors, "candidate_count", lambda user, cap: 7)
    assert str(context_processors.supervision(request)["supervision_counts"]["candidates"]) == "7"
    cache.clear()
    monkeypatch.setattr(selectors, "candidate_count", lambda user, cap: cap + 1)
    assert str(context_processors.supervision(request)["supervision_counts"]["candidates"]) == "99+"


def test_the_badge_is_kept_for_a_minute_per_user(rf, world, monkeypatch):
    calls = []
    monkeypatch.setattr(selectors, "candidate_count", lambda user, cap: calls.append(user) or 3)
    for user in (world.users.henan, world.users.henan, world.users.zhengzhou):
        request = rf.get("/")
        request.user = user
        str(context_processors.supervision(request)["supervision_counts"]["candidates"])
    assert calls == [world.users.henan, world.users.zhengzhou]
