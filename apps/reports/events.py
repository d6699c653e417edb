from apps.reports.models import Handling, Report, ReportEvent


def record_event(
    *,
    report: Report,
    action: str,
    actor=None,
    org=None,
    target_org=None,
    handling: Handling | None = None,
    from_status: str = "",
    to_status: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    public_text: str = "",
) -> ReportEvent:
    """Append one row to the report's 流转记录.

    from_status/to_status are the report's status (to_status defaults to its current one);
    from_state/to_state the hop's, when the action was taken on a hop. public_text is what the
    reporter's progress page shows; leave it empty for internal steps. It must never name a
    member of staff. Other apps (督办, 延期) append their own actions here too.
    """
    return ReportEvent.objects.create(
        report=report,
        handling=handling,
        action=action,
        actor=actor,
        org=org,
        target_org=target_org,
        from_status=from_status,
        to_status=to_status or report.status,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        public_text=public_text,
    )


# Labels for the 流转记录. Other apps register their own actions (督办, 延期…) with
# register_event_label() in their AppConfig.ready(); an unknown code is shown as is.
EVENT_LABELS: dict[str, str] = {
    "create": "登记举报",
    "accept": "受理",
    "defer": "暂不受理",
    "reject": "不予受理",
    "supplement": "举报人补正",
    "hand_back": "退回上级",
    "dispatch": "转办",
    "feedback": "核查反馈",
    "return": "退回重新核查",
    "close": "办结",
    "reward_record": "奖励兑现",
}


def register_event_label(action: str, label: str) -> None:
    EVENT_LABELS[action] = label


def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)
