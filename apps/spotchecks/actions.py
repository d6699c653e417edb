"""The spot-check workflow (house style 1): one function per step, used by the pages, the JSON API
and anything else. Each step, in one transaction: re-read the rows under a lock, check the actor's
side (checking org or checked org), check the step against the table in transitions.py, save with
update_fields, append a SpotCheckRound and 流转记录 rows, queue the messages.

Report fields are written here only by spotcheck_rectify (the checked org correcting its result,
reward and penalty after a 不合格 verdict); the report's status is never touched.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_log
from apps.core.dates import EARLIEST_DATA_DATE
from apps.orgs.models import Org
from apps.orgs.scoping import org_is_below
from apps.regions.models import Region
from apps.reports.actions.base import clean_text, lock_report, now, today
from apps.reports.actions.feedback import clean_amount, clean_conclusion
from apps.reports.attachments import clean_uploads, store_attachments
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.events import record_event
from apps.reports.models import Attachment, Report
from apps.reports.reward import REWARD_MAX
from apps.spotchecks import notifications, selectors
from apps.spotchecks.draw import (
    MAX_CANDIDATES,
    MAX_SAMPLE_SIZE,
    candidate_digest,
    draw_sample,
    max_ratio_for,
    new_seed,
    sample_size_for,
)
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem, SpotCheckRound
from apps.spotchecks.transitions import Side, check_step
from apps.workcalendar.calendar import add_working_days

AUDIT_CREATE = "spotcheck.create"
EARLIEST_CLOSED_DATE = EARLIEST_DATA_DATE
Reward = Report.RewardStatus
Round = SpotCheckRound


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


# A correction argument left at UNCHANGED keeps the report's value (None means "clear it").
UNCHANGED = _Unchanged()

# The report fields a 整改 may correct, in display order, with their labels.
CORRECTABLE_FIELDS: dict[str, str] = {
    "conclusion": "核查结论",
    "verification_summary": "简要核查情况",
    "decision": "处理决定",
    "penalty_amount": "处罚金额（元）",
    "rectification": "整改情况",
    "reward_status": "奖励情况",
    "reward_amount": "奖励金额（元）",
    "reward_paid_on": "奖励兑现日期",
}


def rectify_working_days() -> int:
    return int(getattr(settings, "SPOTCHECK_RECTIFY_WORKING_DAYS", 10))


def _ensure_actor(actor) -> Org:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDeniedForAction("请先登录。")
    if actor.is_auditor:
        raise PermissionDeniedForAction("审计管理员不能办理抽检。")
    if actor.org_id is None:
        raise PermissionDeniedForAction("您的账号未分配机构，不能办理抽检。")
    return actor.org


def _ensure_side(root: Org, item: SpotCheckItem, batch: SpotCheckBatch, side: Side, message: str) -> None:
    org_id = batch.checking_org_id if side == Side.CHECKING else item.checked_org_id
    if org_id != root.pk:
        raise PermissionDeniedForAction(message)


def _clean_date(value, *, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ReportActionError(f"{field}格式不正确，应为YYYY-MM-DD。") from None
    raise ReportActionError(f"请填写{field}。")


def _clean_count(value, *, field: str, low: int, high: int, unit: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ReportActionError(f"{field}应为{low}至{high}{unit}之间的整数。")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ReportActionError(f"{field}应为{low}至{high}{unit}之间的整数。") from None
    if not low <= number <= high:
        raise ReportActionError(f"{field}应为{low}至{high}{unit}之间的整数。")
    return number


def _lock_item(pk: int) -> SpotCheckItem:
    return SpotCheckItem.objects.select_for_update().get(pk=pk)


def _lock_batch(pk: int) -> SpotCheckBatch:
    return SpotCheckBatch.objects.select_for_update().get(pk=pk)


def _finish_batch_if_done(batch: SpotCheckBatch, moment: dt.datetime) -> None:
    if batch.finished_at is None and not batch.items.filter(state__in=SpotCheckItem.OPEN_STATES).exists():
        batch.finished_at = moment
        batch.save(update_fields=["finished_at"])


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def clean_closing_range(closed_from, closed_to) -> tuple[dt.date, dt.date]:
    """The 办结日期 range of a draw (whole local days), from EARLIEST_CLOSED_DATE up to today.

    The bounds keep the range meaningful, and keep it convertible: a date near year 1 or 9999
    overflows when it becomes a local-midnight datetime (selectors.day_bounds)."""
    closed_from = _clean_date(closed_from, field="办结日期起")
    closed_to = _clean_date(closed_to, field="办结日期止")
    if closed_from > closed_to:
        raise ReportActionError("办结日期起不能晚于办结日期止。")
    if closed_from > today():
        raise ReportActionError("办结日期起不能晚于今天。")
    if closed_to > today():
        raise ReportActionError("办结日期止不能晚于今天。")
    if closed_from < EARLIEST_CLOSED_DATE:
        raise ReportActionError(f"办结日期起不能早于{_date_text(EARLIEST_CLOSED_DATE)}。")
    return closed_from, closed_to


def clean_scope(*, actor, scope: str, org: Org | None, region: Region | None
                ) -> tuple[Org | None, Region | None]:
    """The 查询条件 of a draw: (org, region) with the one the scope does not use dropped."""
    if scope not in SpotCheckBatch.Scope.values:
        raise ReportActionError("请选择抽检范围（按机构或按地区）。")
    if scope == SpotCheckBatch.Scope.ORG:
        if org is not None:
            if org.kind == Org.Kind.INTERNAL:
                raise ReportActionError("请选择下级单位，内设机构不办结举报单。")
            if not org_is_below(actor, org):
                raise PermissionDeniedForAction("只能抽检本单位下级单位办结的举报单。")
        return org, None
    if region is None:
        raise ReportActionError("请选择抽检地区。")
    if not selectors.region_is_sampleable(actor, region):
        raise PermissionDeniedForAction("所选地区不在本单位管辖范围内。")
    return None, region


def spotcheck_candidate_count(*, actor, scope: str, org: Org | None = None, region: Region | None = None,
                              closed_from, closed_to) -> int | None:
    """How many closed reports a draw with these 查询条件 would draw from (the page shows it as
    the user fills the form in), after the same checks as spotcheck_create; None while 按地区
    has no region chosen yet (a form still being filled in, not a mistake)."""
    _ensure_actor(actor)
    closed_from, closed_to = clean_closing_range(closed_from, closed_to)
    if scope == SpotCheckBatch.Scope.REGION and region is None:
        return None
    org, region = clean_scope(actor=actor, scope=scope, org=org, region=region)
    in_scope = selectors.scope_reports(actor, scope=scope, org=org, region=region,
                                       closed_from=closed_from, closed_to=closed_to)
    return selectors.draw_candidates(in_scope).count()


def _candidate_ids(in_scope) -> list[int]:
    """The sorted ids to draw from, refused past MAX_CANDIDATES: the batch stores them all."""
    ids = list(selectors.draw_candidates(in_scope).order_by().values_list("pk", flat=True)
               [:MAX_CANDIDATES + 1])
    if len(ids) > MAX_CANDIDATES:
        raise ReportActionError(f"符合条件的已办结举报单超过{MAX_CANDIDATES}件，"
                                "请缩小抽检范围或办结日期后再抽取。")
    return sorted(ids)


def _sample_size(total: int, *, size: int | None, ratio: int | None) -> int:
    k = sample_size_for(total, size=size, ratio=ratio)
    if k > total:
        raise ReportActionError(f"符合条件的已办结举报单共{total}件，抽检数量不能超过{total}件。")
    if k > MAX_SAMPLE_SIZE:  # only a ratio gets here: a size above the cap is refused earlier
        allowed = max_ratio_for(total, MAX_SAMPLE_SIZE)
        hint = (f"抽检比例最多为{allowed}%" if allowed else f"请按数量抽取（最多{MAX_SAMPLE_SIZE}件）")
        raise ReportActionError(f"符合条件的已办结举报单共{total}件，按{ratio}%应抽取{k}件，超过单批上限"
                                f"{MAX_SAMPLE_SIZE}件：{hint}，或缩小抽检范围、办结日期。")
    return k


# ---- 随机抽检 ------------------------------------------------------------------------------------


def spotcheck_create(
    *,
    actor,
    scope: str,
    org: Org | None = None,
    region: Region | None = None,
    closed_from: dt.date | str | None,
    closed_to: dt.date | str | None,
    size: int | None = None,
    ratio: int | None = None,
    seed: int | None = None,
    request=None,
) -> SpotCheckBatch:
    """随机抽检: draw `size` reports (or `ratio` %) uniformly at random from the closed reports in
    scope (按机构: closed by `org` or below, or by any org below the actor's when `org` is None;
    按地区: located in `region`), closed within [closed_from, closed_to], skipping reports already
    in an open spot check. Only reports closed by orgs strictly below the actor's org qualify.

    `seed` is for tests and reproductions only: the pages and the API never pass one, because a
    user who could choose the seed could choose the sample.
    """
    root = _ensure_actor(actor)
    org, region = clean_scope(actor=actor, scope=scope, org=org, region=region)
    closed_from, closed_to = clean_closing_range(closed_from, closed_to)
    size = _clean_count(size, field="抽检数量", low=1, high=MAX_SAMPLE_SIZE, unit="件")
    ratio = _clean_count(ratio, field="抽检比例", low=1, high=100, unit="%")
    if (size is None) == (ratio is None):
        raise ReportActionError("请填写抽检数量或抽检比例（二选一）。")

    with transaction.atomic():
        in_scope = selectors.scope_reports(actor, scope=scope, org=org, region=region,
                                           closed_from=closed_from, closed_to=closed_to)
        all_count = in_scope.count()
        candidate_ids = _candidate_ids(in_scope)
        total = len(candidate_ids)
        if total == 0:
            reason = "（均已在进行中的抽检中）" if all_count else ""
            raise ReportActionError(f"所选范围和办结日期内没有可抽检的已办结举报单{reason}。")
        k = _sample_size(total, size=size, ratio=ratio)
        seed = new_seed() if seed is None else seed
        drawn = draw_sample(candidate_ids, k, seed)
        moment = now()
        batch = SpotCheckBatch.objects.create(
            number=f"tmp-{secrets.token_hex(10)}", checking_org=root, created_by=actor, created_at=moment,
            scope=scope, scope_org=org, scope_region=region, closed_from=closed_from, closed_to=closed_to,
            requested_size=size, requested_ratio=ratio, candidate_ids=candidate_ids, candidate_count=total,
            candidate_digest=candidate_digest(candidate_ids), skipped_open_count=all_count - total, seed=seed,
            sample_size=k,
        )
        batch.number = f"CJ{timezone.localdate(moment):%Y%m%d}{batch.pk:05d}"
        batch.save(update_fields=["number"])
        reports = Report.objects.select_related("accepting_org").in_bulk(drawn)
        items = [
            SpotCheckItem(batch=batch, report_id=pk, position=position,
                          checked_org_id=reports[pk].accepting_org_id)
            for position, pk in enumerate(drawn, start=1)
        ]
        try:
            with transaction.atomic():  # a savepoint: the refusal below must leave nothing behind
                SpotCheckItem.objects.bulk_create(items)
        except IntegrityError:
            # Another draw took one of these reports between our query and our insert.
            raise InvalidTransition("部分举报单刚被其他抽检抽中，请重新抽取。") from None
        for pk in drawn:
            report = reports[pk]
            record_event(
                report=report, action="spotcheck_sample", actor=actor, org=root,
                target_org=report.accepting_org, from_status=report.status, to_status=report.status,
                comment=f"被随机抽检抽中（批次{batch.number}）",
            )
        audit_log(
            actor=actor, action=AUDIT_CREATE, target=batch, result="success", request=request, org=root,
            detail={"seed": str(seed), "scope": scope, "scope_org": org.pk if org else None,
                    "scope_region": region.code if region else None, "closed_from": closed_from.isoformat(),
                    "closed_to": closed_to.isoformat(), "candidate_count": total,
                    "candidate_digest": batch.candidate_digest, "sample_size": k},
        )
    return batch


def spotcheck_reproduce(batch: SpotCheckBatch) -> list[int]:
    """Re-run a batch's draw from its record: the report ids in draw order. Raises ValueError when
    the stored candidate list no longer matches its digest (the record was altered)."""
    if candidate_digest(batch.candidate_ids) != batch.candidate_digest:
        raise ValueError("抽检候选清单与摘要不符。")
    return draw_sample(batch.candidate_ids, batch.sample_size, batch.seed)


# ---- 抽检审查 -------------------------------------------------------------------------------------


def spotcheck_review(*, actor, item: SpotCheckItem, qualified: bool, opinion: str = "") -> SpotCheckItem:
    """The checking org marks a sampled report 合格 (the item is finished) or 不合格 with 整改意见
    (the closing org must correct it within the configured working days)."""
    root = _ensure_actor(actor)
    if not isinstance(qualified, bool):
        raise ReportActionError("请选择抽检结论（合格或不合格）。")
    opinion = clean_text(opinion, field="整改意见", required=not qualified, max_length=2000)
    with transaction.atomic():
        batch = _lock_batch(item.batch_id)
        item = _lock_item(item.pk)
        _ensure_side(root, item, batch, Side.CHECKING, "只有组织抽检的单位可以审查抽检事项。")
        item.state = check_step("review", item, "qualified" if qualified else "unqualified")
        moment = now()
        item.qualified = qualified
        item.reviewed_at = moment
        item.latest_opinion = opinion
        fields = ["state", "qualified", "reviewed_at", "latest_opinion"]
        if qualified:
            item.finished_at = moment
            fields.append("finished_at")
        else:
            item.rectify_due = add_working_days(today(), rectify_working_days())
            fields.append("rectify_due")
        item.save(update_fields=fields)
        Round.objects.create(
            item=item, kind=Round.Kind.REVIEW, cycle=0, opinion=opinion, actor=actor, org=root,
            verdict=Round.Verdict.QUALIFIED if qualified else Round.Verdict.UNQUALIFIED,
            due=None if qualified else item.rectify_due,
        )
        report = item.report
        if qualified:
            comment = "抽检审查：合格" + (f"。{opinion}" if opinion else "")
        else:
            comment = f"抽检审查：不合格，整改期限{_date_text(item.rectify_due)}。整改意见：{opinion}"
        record_event(report=report, action="spotcheck_review", actor=actor, org=root,
                     target_org=item.checked_org, from_status=report.status, to_status=report.status,
                     comment=comment)
        if qualified:
            _finish_batch_if_done(batch, moment)
        else:
            notifications.notify_org(
                org=item.checked_org, item=item,
                text=f"举报单{report.number}经{root.name}抽检不合格，请于{_date_text(item.rectify_due)}前整改并重新提交："
                     f"{opinion}",
            )
    return item


# ---- 抽检办理 (整改) -------------------------------------------------------------------------------


def _display(name: str, value) -> str:
    if value in (None, ""):
        return "无"
    if name == "conclusion":
        return Report.Conclusion(value).label
    if name == "reward_status":
        return Reward(value).label
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _clean_corrections(report: Report, provided: dict) -> dict:
    """The report's result fields after the correction, checked as a whole by the same rules as 办结."""
    values = {name: getattr(report, name) for name in CORRECTABLE_FIELDS}
    values.update({name: value for name, value in provided.items() if value is not UNCHANGED})
    values["conclusion"] = clean_conclusion(values["conclusion"])
    values["verification_summary"] = clean_text(values["verification_summary"], field="简要核查情况",
                                                required=True, max_length=5000)
    values["decision"] = clean_text(values["decision"], field="处理决定", max_length=2000)
    values["rectification"] = clean_text(values["rectification"], field="整改情况", max_length=2000)
    values["penalty_amount"] = clean_amount(values["penalty_amount"], field="处罚金额")
    status = values["reward_status"]
    if status not in Reward.values:
        raise ReportActionError("请选择奖励情况。")
    if status == Reward.NONE:
        if values["reward_amount"] not in (None, ""):
            raise ReportActionError("选择“无奖励”时不能填写奖励金额。")
        values["reward_amount"] = values["reward_paid_on"] = None
        return values
    if values["conclusion"] == Report.Conclusion.FALSE:
        raise ReportActionError("核查不属实的举报不予奖励，请选择“无奖励”。")
    amount = clean_amount(values["reward_amount"], field="奖励金额", required=status == Reward.PAID)
    if status == Reward.PAID and amount <= Decimal("0"):
        raise ReportActionError("奖励金额应大于0。")
    if amount is not None and amount > REWARD_MAX:
        raise ReportActionError("奖励金额最高不超过30万元（《安全生产领域举报奖励办法》）。")
    values["reward_amount"] = amount
    if status == Reward.PENDING:
        values["reward_paid_on"] = None
        return values
    paid_on = values["reward_paid_on"]
    paid_on = today() if paid_on in (None, "") else _clean_date(paid_on, field="奖励兑现日期")
    if paid_on > today():
        raise ReportActionError("兑现日期不能晚于今天。")
    if report.closed_at and paid_on < timezone.localdate(report.closed_at):
        raise ReportActionError("兑现日期不能早于办结日期。")
    values["reward_paid_on"] = paid_on
    return values


def spotcheck_rectify(
    *,
    actor,
    item: SpotCheckItem,
    explanation: str,
    conclusion=UNCHANGED,
    verification_summary=UNCHANGED,
    decision=UNCHANGED,
    penalty_amount=UNCHANGED,
    rectification=UNCHANGED,
    reward_status=UNCHANGED,
    reward_amount=UNCHANGED,
    reward_paid_on=UNCHANGED,
    files: list | None = None,
) -> SpotCheckItem:
    """The org that closed the report corrects it after a 不合格 verdict (result, reward, penalty,
    整改材料) and resubmits it with an explanation. Each changed field is its own 流转记录 row."""
    root = _ensure_actor(actor)
    explanation = clean_text(explanation, field="整改说明", required=True, max_length=2000)
    uploads = clean_uploads(files) if files else []
    provided = {
        "conclusion": conclusion, "verification_summary": verification_summary, "decision": decision,
        "penalty_amount": penalty_amount, "rectification": rectification, "reward_status": reward_status,
        "reward_amount": reward_amount, "reward_paid_on": reward_paid_on,
    }
    with transaction.atomic():
        report = lock_report(item.report_id)
        item = _lock_item(item.pk)
        batch = item.batch
        _ensure_side(root, item, batch, Side.CHECKED, "只有办结该举报单的单位可以整改。")
        new_state = check_step("rectify", item, "submitted")
        if report.status != Report.Status.CLOSED:  # pragma: no cover - closed reports never reopen
            raise InvalidTransition("该举报单不是已办结状态，不能整改。")
        values = _clean_corrections(report, provided)
        changes = []
        for name, label in CORRECTABLE_FIELDS.items():
            old, new = getattr(report, name), values[name]
            if old != new and not (old in (None, "") and new in (None, "")):
                changes.append({"field": name, "label": label, "old": _display(name, old),
                                "new": _display(name, new)})
                setattr(report, name, new)
        if changes:
            report.save(update_fields=[c["field"] for c in changes] + ["updated_at"])
        stored = store_attachments(report=report, files=uploads, stage=Attachment.Stage.RECTIFICATION,
                                   uploaded_by=actor)
        if stored:
            changes.append({"field": "attachments", "label": "整改材料", "old": "",
                            "new": "、".join(a.display_name for a in stored)})
        item.state = new_state
        item.rectify_count += 1
        item.save(update_fields=["state", "rectify_count"])
        rnd = Round.objects.create(
            item=item, kind=Round.Kind.RECTIFY, verdict=Round.Verdict.SUBMITTED, cycle=item.rectify_count,
            explanation=explanation, changes=changes, actor=actor, org=root,
        )
        if stored:
            rnd.attachments.set(stored)
        for change in changes:
            text = (f"新增{change['label']}：{change['new']}" if change["field"] == "attachments"
                    else f"{change['label']}：{change['old']} → {change['new']}")
            record_event(report=report, action="spotcheck_correct", actor=actor, org=root,
                         from_status=report.status, to_status=report.status, comment=text)
        record_event(
            report=report, action="spotcheck_rectify", actor=actor, org=root, target_org=batch.checking_org,
            from_status=report.status, to_status=report.status,
            comment=f"按抽检意见完成第{item.rectify_count}次整改并提交核查"
                    + ("" if changes else "（未修改办理结果）") + f"。整改说明：{explanation}",
        )
        notifications.notify_org(
            org=batch.checking_org, item=item,
            text=f"{root.name}已按抽检意见整改举报单{report.number}（第{item.rectify_count}次），请核查。",
        )
    return item


# ---- 抽检核查 ------------------------------------------------------------------------------------


def spotcheck_verify(*, actor, item: SpotCheckItem, passed: bool, opinion: str = "") -> SpotCheckItem:
    """The checking org checks a correction: 通过 finishes the item; 不通过 sends it back with a new
    opinion and a fresh correction deadline."""
    root = _ensure_actor(actor)
    if not isinstance(passed, bool):
        raise ReportActionError("请选择核查结论（通过或不通过）。")
    opinion = clean_text(opinion, field="核查意见", required=not passed, max_length=2000)
    with transaction.atomic():
        batch = _lock_batch(item.batch_id)
        item = _lock_item(item.pk)
        _ensure_side(root, item, batch, Side.CHECKING, "只有组织抽检的单位可以核查整改情况。")
        item.state = check_step("verify", item, "passed" if passed else "failed")
        moment = now()
        fields = ["state"]
        if passed:
            item.finished_at = moment
            fields.append("finished_at")
        else:
            item.rectify_due = add_working_days(today(), rectify_working_days())
            item.latest_opinion = opinion
            fields += ["rectify_due", "latest_opinion"]
        item.save(update_fields=fields)
        Round.objects.create(
            item=item, kind=Round.Kind.VERIFY, cycle=item.rectify_count, opinion=opinion, actor=actor,
            org=root,
            verdict=Round.Verdict.PASSED if passed else Round.Verdict.FAILED,
            due=None if passed else item.rectify_due,
        )
        report = item.report
        if passed:
            comment = "抽检整改核查：通过" + (f"。{opinion}" if opinion else "")
            text = f"举报单{report.number}的抽检整改已通过{root.name}核查。"
        else:
            comment = f"抽检整改核查：不通过，整改期限{_date_text(item.rectify_due)}。核查意见：{opinion}"
            text = (f"举报单{report.number}的抽检整改未通过{root.name}核查，"
                    f"请于{_date_text(item.rectify_due)}前再次整改：{opinion}")
        record_event(report=report, action="spotcheck_verify", actor=actor, org=root,
                     target_org=item.checked_org, from_status=report.status, to_status=report.status,
                     comment=comment)
        notifications.notify_org(org=item.checked_org, item=item, text=text)
        if passed:
            _finish_batch_if_done(batch, moment)
    return item
