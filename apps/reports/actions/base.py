"""What every workflow action shares: who may act, which hop they act on, and the row locks.

An actor acts on a hop when the hop is their own org's, or when it is one of their org's 内设机构
(a county bureau without department accounts records its departments' verification itself). The
role 审计管理员 never handles reports (三员分立).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from apps.orgs.models import Org
from apps.reports.errors import PermissionDeniedForAction, ReportActionError
from apps.reports.events import record_event
from apps.reports.models import Handling, Report
from apps.reports.transitions import check_hop, check_report, hop_allows, transition_for


def ensure_may_handle(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDeniedForAction("请先登录。")
    if actor.is_auditor:
        raise PermissionDeniedForAction("审计管理员不能办理举报。")
    if actor.org_id is None:
        raise PermissionDeniedForAction("您的账号未分配机构，不能办理举报。")


def lock_report(report: Report | int) -> Report:
    """Re-read the report under a row lock: two users acting at once are serialised here, and the
    second sees the first one's result."""
    pk = report.pk if isinstance(report, Report) else report
    return Report.objects.select_for_update().get(pk=pk)


def actor_hop_filter(actor) -> Q:
    return Q(org_id=actor.org_id) | Q(org__parent_id=actor.org_id, org__kind=Org.Kind.INTERNAL)


def acting_hop(*, actor, report: Report, action: str) -> Handling:
    """The hop `actor` performs `action` on, locked. Call after lock_report().

    Refuses with PermissionDeniedForAction when the report has no hop at the actor's org, and
    with InvalidTransition (from the table) when it has, but not in a state the action starts from.
    """
    ensure_may_handle(actor)
    hops = list(
        Handling.objects.select_for_update(of=("self",))
        .filter(actor_hop_filter(actor), report=report)
        .order_by("-received_at", "-id")
    )
    label = transition_for(action).label
    if not hops:
        raise PermissionDeniedForAction(f"您所在单位不是该举报单的办理单位，不能{label}。")
    # The actor's own org first, then its departments; the newest hop first within each.
    hops.sort(key=lambda hop: hop.org_id != actor.org_id)
    for hop in hops:
        if hop_allows(action, hop):
            return hop
    open_hops = [hop for hop in hops if hop.state in Handling.OPEN_STATES]
    check_hop(action, (open_hops or hops)[0])  # raises with the state's own message
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class HopStep:
    """One action on the actor's hop: the locked report and hop, and the status and state they
    had when the action began, which its 流转记录 row records as `from`."""

    actor: object
    action: str
    report: Report
    hop: Handling
    from_status: str
    from_state: str

    def record(self, *, comment: str, public_text: str = "", target_org: Org | None = None) -> None:
        """Append the action's 流转记录 row: from the starting status/state to the current ones."""
        record_event(
            report=self.report,
            handling=self.hop,
            action=self.action,
            actor=self.actor,
            org=self.hop.org,
            target_org=target_org,
            from_status=self.from_status,
            to_status=self.report.status,
            from_state=self.from_state,
            to_state=self.hop.state,
            comment=comment,
            public_text=public_text,
        )


def begin_hop_step(*, actor, report: Report, action: str, check_status: bool = True) -> HopStep:
    """Lock the report and the actor's hop for `action`, and (unless the action checks the
    report's status itself, or has no rule for it) check the status allows it. Call inside the
    action's transaction.atomic()."""
    report = lock_report(report)
    hop = acting_hop(actor=actor, report=report, action=action)
    if check_status:
        check_report(action, report)
    return HopStep(actor, action, report, hop, report.status, hop.state)


def lock_hop(pk: int) -> Handling:
    return Handling.objects.select_for_update(of=("self",)).get(pk=pk)


# The actions' clock. Deadline tests move it (monkeypatch `_clock`) to land on weekends,
# holidays and 调休 days; everything else reads the real time.
_clock = timezone.now


def now():
    return _clock()


def today():
    return timezone.localdate(_clock())


def clean_text(value: str | None, *, field: str, required: bool = False, max_length: int = 2000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ReportActionError(f"请填写{field}。")
    if len(text) > max_length:
        raise ReportActionError(f"{field}不能超过{max_length}个字。")
    return text
