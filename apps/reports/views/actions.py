"""One page per workflow action: parse the form, call the action, show its message on failure
(thin views, house style 5). The actions decide who may do what; these views only find the
report through the scoping selector (404 outside the user's jurisdiction)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.reports import forms, selectors
from apps.reports.actions.accept import report_accept, report_defer, report_hand_back, report_reject
from apps.reports.actions.close import report_close, report_reward_record
from apps.reports.actions.dispatch import dispatch_targets, report_dispatch
from apps.reports.actions.feedback import report_feedback, report_return
from apps.reports.errors import ReportActionError
from apps.reports.models import Handling, Report
from apps.reports.views.common import run_form_action, staff_view
from apps.reports.views.detail import ACTION_LABELS


def _action_page(
    request, pk, *, action, form_class, perform, success, form_kwargs=None, initial=None, intro=""
):
    report = selectors.report_get_for_user_or_404(request.user, pk)
    available = selectors.available_actions(request.user, report)
    hop = available.get(action)
    kwargs = form_kwargs(report, hop) if form_kwargs else {}
    if isinstance(form_class, dict):  # the form depends on the hop's state (反馈)
        form_class = form_class.get(hop.state if hop else None) or next(iter(form_class.values()))
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
        _, refused = run_form_action(form, lambda data: perform(request, report, data))
        if refused is None:
            messages.success(request, success)
            return redirect("reports:detail", pk=report.pk)
        status = refused
    else:
        form = form_class(initial=initial(report) if initial else None, **kwargs)
    label = ACTION_LABELS[action][0]
    context = {
        "report": report,
        "form": form,
        "action": action,
        "title": label,
        "available": hop is not None,
        "intro": intro,
        "active": "todo",
        "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
    }
    return render(request, "reports/action.html", context, status=status)


@staff_view
def accept(request, pk):
    return _action_page(
        request,
        pk,
        action="accept",
        form_class=forms.AcceptForm,
        success="已受理。",
        perform=lambda req, report, d: report_accept(
            actor=req.user, report=report, comment=d["comment"], notify_reporter=d["notify_reporter"]
        ),
        intro="受理后应在3个工作日内转办；核查结果应自受理之日起60个工作日内录入。",
    )


@staff_view
def defer(request, pk):
    return _action_page(
        request,
        pk,
        action="defer",
        form_class=forms.DeferForm,
        success="已暂不受理，等待举报人补正。",
        perform=lambda req, report, d: report_defer(
            actor=req.user, report=report, missing=d["missing"], notify_reporter=d["notify_reporter"]
        ),
    )


def _perform_reject(request, report, data):
    duplicate_of = None
    number = (data.get("duplicate_of_number") or "").strip()
    if data["reason"] == Report.RejectReason.DUPLICATE:
        if not number:
            raise ReportActionError("请填写与之重复的原举报单报告编号。")
        duplicate_of = selectors.reports_visible_to(request.user).filter(number=number).first()
        if duplicate_of is None:
            raise ReportActionError("所填原举报单不存在或不在您的查看范围内。")
    return report_reject(
        actor=request.user,
        report=report,
        reason=data["reason"],
        detail=data["detail"],
        duplicate_of=duplicate_of,
        referred_department=data["referred_department"],
        notify_reporter=data["notify_reporter"],
    )


@staff_view
def reject(request, pk):
    return _action_page(
        request,
        pk,
        action="reject",
        form_class=forms.RejectForm,
        success="已作不予受理处理。",
        perform=_perform_reject,
        initial=lambda report: {"referred_department": report.industry.competent_department},
    )


@staff_view
def hand_back(request, pk):
    return _action_page(
        request,
        pk,
        action="hand_back",
        form_class=forms.ReasonForm,
        success="已退回上级单位。",
        perform=lambda req, report, d: report_hand_back(actor=req.user, report=report, reason=d["reason"]),
        intro="不属于本单位办理的，说明原因后退回转办单位。",
    )


@staff_view
def dispatch(request, pk):
    def targets(report, hop):
        org = hop.org if hop else request.user.org
        return {"targets": list(dispatch_targets(org))}

    return _action_page(
        request,
        pk,
        action="dispatch",
        form_class=forms.DispatchForm,
        form_kwargs=targets,
        success="已转办。",
        perform=lambda req, report, d: report_dispatch(
            actor=req.user, report=report, target_org=d["target"], comment=d["comment"]
        ),
        intro="属于本级核查范围的转办内设机构；属于下级核查范围的转办下级机构，由下级在3个工作日内决定是否受理。",
    )


# The 核查结果 fields, named alike on the forms, the actions and the Verification model.
VERIFICATION_FIELDS = tuple(forms.VerificationFields.base_fields)


def _verification_result(data) -> dict:
    """The 核查结果 as 反馈 and 办结 take it. The 转报 form (ForwardForm) has none of the fields:
    反馈 then passes the latest result up unchanged."""
    return {name: data[name] for name in VERIFICATION_FIELDS if name in data}


@staff_view
def feedback(request, pk):
    return _action_page(
        request,
        pk,
        action="feedback",
        form_class={
            Handling.State.VERIFYING: forms.FeedbackForm,
            Handling.State.REVIEWING: forms.ForwardForm,
        },
        success="已反馈上级。",
        perform=lambda req, report, d: report_feedback(
            actor=req.user,
            report=report,
            **_verification_result(d),
            files=d.get("attachments") or [],
            comment=d["comment"],
        ),
        intro="核查结果逐级反馈至转办单位。",
    )


@staff_view
def return_for_verification(request, pk):
    return _action_page(
        request,
        pk,
        action="return",
        form_class=forms.ReasonForm,
        success="已退回重新核查。",
        perform=lambda req, report, d: report_return(actor=req.user, report=report, reason=d["reason"]),
    )


def _close_initial(report: Report) -> dict:
    latest = report.verifications.order_by("-created_at", "-id").first()
    initial = {"reward_status": Report.RewardStatus.NONE, "notify_reporter": not report.is_anonymous}
    if latest is not None:
        initial.update({name: getattr(latest, name) for name in VERIFICATION_FIELDS})
    return initial


@staff_view
def close(request, pk):
    return _action_page(
        request,
        pk,
        action="close",
        form_class=forms.CloseForm,
        success="已办结。",
        initial=_close_initial,
        form_kwargs=lambda report, hop: {"reward_basis": report.problem_type.reward_basis},
        perform=lambda req, report, d: report_close(
            actor=req.user,
            report=report,
            **_verification_result(d),
            reward_status=d["reward_status"],
            reward_amount=d["reward_amount"],
            reward_paid_on=d["reward_paid_on"],
            notify_reporter=d["notify_reporter"],
            comment=d["comment"],
        ),
        intro="奖励尚未落实的，先选择“待兑现”办结，奖励兑现后在“待兑现奖励”中录入。",
    )


@staff_view
def reward_record(request, pk):
    return _action_page(
        request,
        pk,
        action="reward_record",
        form_class=forms.RewardRecordForm,
        success="已录入奖励兑现情况。",
        initial=lambda report: {"amount": report.reward_amount, "paid_on": timezone.localdate()},
        perform=lambda req, report, d: report_reward_record(
            actor=req.user, report=report, amount=d["amount"], paid_on=d["paid_on"], comment=d["comment"]
        ),
    )
