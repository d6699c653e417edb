import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.audit.models import AuditLog, AuditLogImmutable
from apps.audit.services import audit_log, audit_prune

pytestmark = pytest.mark.django_db


def make_row(**kwargs):
    return audit_log(actor=None, action="test.event", target="对象", result="success", **kwargs)


def test_audit_log_records_actor_org_target_and_client(world, rf):
    actor = world.user("P1", "admin")
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 测试")
    row = audit_log(
        actor=actor,
        action="report.view_reporter",
        target=world.orgs["C1"],
        result="success",
        request=request,
        detail={"why": "核查"},
    )
    row.refresh_from_db()
    assert (row.actor, row.actor_username, row.actor_name) == (actor, "p1_admin", "P1admin")
    assert (row.org, row.org_name) == (actor.org, actor.org.name)
    assert (row.target_type, row.target_id, row.target_repr) == (
        "orgs.org",
        str(world.orgs["C1"].pk),
        "甲一市应急管理局",
    )
    assert (row.ip_address, row.user_agent, row.detail) == ("10.1.2.3", "Mozilla/5.0 测试", {"why": "核查"})
    assert row.action_label == "查看举报人信息"


def test_unknown_result_is_a_programming_error(db):
    with pytest.raises(ValueError):
        audit_log(actor=None, action="x", target=None, result="ok")


def test_forwarded_address_is_trusted_only_behind_configured_proxies(rf, db, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert make_row(request=request).ip_address == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert make_row(request=request).ip_address == "1.2.3.4"


def test_rows_cannot_be_changed_or_deleted_through_the_orm(db):
    row = make_row()
    row.result = "failure"
    with pytest.raises(AuditLogImmutable):
        row.save()
    with pytest.raises(AuditLogImmutable):
        row.delete()
    with pytest.raises(AuditLogImmutable):
        AuditLog.objects.filter(pk=row.pk).update(result="failure")
    with pytest.raises(AuditLogImmutable):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=row.pk).result == "success"


def test_database_refuses_updates_even_in_raw_sql(db):
    row = make_row()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditlog SET result = 'failure' WHERE id = %s", [row.pk])
    assert AuditLog.objects.get(pk=row.pk).result == "success"


def _row_aged(days: int) -> AuditLog:
    row = AuditLog(
        action="old.event", result="success", created_at=timezone.now() - datetime.timedelta(days=days)
    )
    row.save()
    return row


def test_prune_deletes_only_rows_past_retention(db, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    old, edge, young = _row_aged(200), _row_aged(179), _row_aged(1)
    assert audit_prune() == 1
    remaining = set(AuditLog.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and {edge.pk, young.pk} <= remaining


def test_prune_never_goes_below_180_days(db, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # misconfigured: the 180-day floor still holds
    young = _row_aged(100)
    assert audit_prune() == 0
    # Nor does a clock far in the future shorten it.
    assert audit_prune(now=timezone.now() + datetime.timedelta(days=3650)) == 0
    assert AuditLog.objects.filter(pk=young.pk).exists()
    with pytest.raises(AuditLogImmutable):
        AuditLog.objects.all()._prune_older_than(timezone.now() - datetime.timedelta(days=10))


def test_prune_task_is_registered_with_the_scheduler():
    from apps.core.periodic import registered_jobs

    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["audit_prune"].task_path == "apps.audit.tasks.prune_audit_log"
