"""The transition table, the database constraint and bad input that must never become a 500."""

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.reports.models import Handling
from apps.reports.tokens import issue_api_token
from apps.reports.transitions import TRANSITIONS, check_hop
from tests.reports.helpers import new_report


def test_open_hop_constraint_matches_open_states():
    constraint = next(
        c for c in Handling._meta.constraints if c.name == "handling_one_open_hop_per_report_and_org"
    )
    assert constraint.condition == Q(state__in=[str(s) for s in Handling.OPEN_STATES])


def test_every_action_has_a_chinese_label_and_valid_states():
    states = set(Handling.State.values)
    for action, t in TRANSITIONS.items():
        assert t.label and t.hop_from <= states and t.hop_to in states, action


def test_invalid_transition_message_names_state_and_action():
    from apps.reports.errors import InvalidTransition

    hop = Handling(state=Handling.State.CLOSED)
    with pytest.raises(InvalidTransition, match="“已办结”，不能受理"):
        check_hop("accept", hop)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = [
    "reason",
    "detail",
    "missing",
    "target_org",
    "conclusion",
    "summary",
    "penalty_amount",
    "reward_status",
    "reward_amount",
    "reward_paid_on",
    "amount",
    "paid_on",
    "comment",
    "notify_reporter",
    "duplicate_of",
]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    op=st.sampled_from(["accept", "defer", "reject", "dispatch", "feedback", "return", "close", "reward"]),
    body=st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=5) | JSON,
)
def test_api_bad_bodies_are_4xx(world, client, op, body):
    report = new_report(world)
    token = issue_api_token(user=world.users.jinshui)
    response = client.post(
        f"/api/v1/reports/{report.pk}/{op}",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code < 500, response.content
