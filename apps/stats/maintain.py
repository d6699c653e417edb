"""Keeps the cells exactly right as reports change, in the transaction that changes them.

Why model signals: every change to a report or a hop goes through `Model.save()` inside an
action's `transaction.atomic()` (house style 1), but those actions belong to apps.reports and
grow over time; signals see every one of them, present and future, without a call to remember.
The delta is "what the row counts for now" minus "what it counted for before":

* pre_save reads the row as stored (one primary-key query; the actions hold the row lock, so this
  is the state the change starts from) unless `update_fields` touches nothing we count;
* post_save computes the new contribution from the saved values and upserts the difference
  (one INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n, rows in key order so concurrent
  writers lock cells in the same order);
* pre_delete subtracts (pre, not post: a cascade deletes the hops and then the report, and a hop
  needs its report's region and day).

What signals cannot see: `QuerySet.update()`, `bulk_create()` and raw SQL on reports. Nothing in
the system changes reports that way; bulk loads (bench_seed, imports) call
apps.stats.rebuild.rebuild() afterwards, and `manage.py stats_check` finds any drift.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils import timezone

from apps.reports.models import Handling, Report
from apps.stats import measures as m
from apps.stats.models import Cell

_REPORT_TRACKED = {f.removesuffix("_id") for f in m.REPORT_FIELDS} | set(m.REPORT_FIELDS)
_HOP_TRACKED = {"dispatched_at", "dispatch_due", "report", "report_id"}


def connect() -> None:
    pre_save.connect(_report_pre_save, sender=Report, dispatch_uid="stats_report_pre_save")
    post_save.connect(_report_post_save, sender=Report, dispatch_uid="stats_report_post_save")
    pre_delete.connect(_report_pre_delete, sender=Report, dispatch_uid="stats_report_pre_delete")
    pre_save.connect(_hop_pre_save, sender=Handling, dispatch_uid="stats_hop_pre_save")
    post_save.connect(_hop_post_save, sender=Handling, dispatch_uid="stats_hop_post_save")
    pre_delete.connect(_hop_pre_delete, sender=Handling, dispatch_uid="stats_hop_pre_delete")


# --- Applying a delta ----------------------------------------------------------------------


def _rows_for(day: dt.date, path: str, industry_id, items: Counter, sign: int) -> dict[tuple, tuple]:
    month = day.replace(day=1)
    recent = day >= m.recent_since(keep=True)
    rows: dict[tuple, tuple] = {}
    for node in m.chain_for_path(path) + m.industry_chain(path, industry_id):
        for (dim, key), value in items.items():
            grains = [(Cell.Grain.MONTH, month)]
            if recent or m.always_has_day_cells(node.level, dim):
                grains.append((Cell.Grain.DAY, day))
            for grain, period in grains:
                pk = (node.code, dim, int(grain), period, key)
                old = rows.get(pk)
                rows[pk] = (node.parent, node.level, (old[2] if old else 0) + sign * value)
    return rows


def apply_deltas(changes: list[tuple[dt.date, str, int | None, Counter, int]]) -> int:
    """Add sign × items at (day, region path, industry) for each change, in one statement per
    200 cells. Returns the number of cells touched."""
    merged: dict[tuple, list] = {}
    for day, path, industry_id, items, sign in changes:
        for pk, (parent, level, value) in _rows_for(day, path, industry_id, items, sign).items():
            entry = merged.setdefault(pk, [parent, level, 0])
            entry[2] += value
    rows = sorted((pk, v) for pk, v in merged.items() if v[2] != 0)
    if not rows:
        return 0
    table = connection.ops.quote_name(Cell._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list = []
            for (node, dim, grain, period, key), (parent, level, value) in chunk:
                params += [node, dim, grain, adapt(period), key, parent, level, value]
            cursor.execute(
                f"INSERT INTO {table} (node, dim, grain, period, key, parent, level, n) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (node, dim, grain, period, key) DO UPDATE SET n = {table}.n + excluded.n",
                params,
            )
    return len(rows)


# --- Reports ---------------------------------------------------------------------------------


def _coerce(model, name: str, value):
    """The value as the database gives it back (a form may have assigned a string)."""
    if name.endswith("_id"):
        return value
    value = model._meta.get_field(name).to_python(value)
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _instance_row(instance: Report) -> SimpleNamespace:
    return SimpleNamespace(
        **{name: _coerce(Report, name, getattr(instance, name)) for name in m.REPORT_FIELDS}
    )


def _stored_row(pk) -> tuple[SimpleNamespace, str] | None:
    found = Report.objects.filter(pk=pk).values(*m.REPORT_FIELDS, "region__path").first()
    if found is None:
        return None
    path = found.pop("region__path")
    return SimpleNamespace(**found), path


def _region_path(region_id) -> str:
    from apps.regions.models import Region

    return Region.objects.filter(pk=region_id).values_list("path", flat=True).get()


def _hop_items_of(report_id) -> Counter:
    total: Counter = Counter()
    for hop in Handling.objects.filter(report_id=report_id, dispatched_at__isnull=False).values(
        *m.HOP_FIELDS
    ):
        total.update(m.hop_items(SimpleNamespace(**hop)))
    return total


def _touches(update_fields, tracked) -> bool:
    return update_fields is None or bool(set(update_fields) & tracked)


def _report_pre_save(sender, instance: Report, update_fields=None, **kwargs):
    instance._stats_skip = not _touches(update_fields, _REPORT_TRACKED)
    if instance._stats_skip:
        return
    instance._stats_before = _stored_row(instance.pk) if instance.pk is not None else None


def _report_post_save(sender, instance: Report, created=False, update_fields=None, **kwargs):
    if getattr(instance, "_stats_skip", False):
        return
    before = None if created else getattr(instance, "_stats_before", None)
    instance._stats_before = None
    new = _instance_row(instance)
    if before is not None:
        old, old_path = before
        new_path = old_path if old.region_id == new.region_id else _region_path(new.region_id)
    else:
        old, old_path = None, ""
        cached = Report.region.is_cached(instance) and instance.region.pk == new.region_id
        new_path = instance.region.path if cached else _region_path(new.region_id)
    new_place = (timezone.localdate(new.received_at), new_path, new.industry_id)
    changes = [(*new_place, m.report_items(new), 1)]
    if old is not None:
        old_place = (timezone.localdate(old.received_at), old_path, old.industry_id)
        changes.append((*old_place, m.report_items(old), -1))
        if old_place != new_place:
            # The hops' measures live at the report's day, place and industry: move them along.
            hop_items = _hop_items_of(instance.pk)
            if hop_items:
                changes += [(*old_place, hop_items, -1), (*new_place, hop_items, 1)]
    apply_deltas(changes)


def _report_pre_delete(sender, instance: Report, **kwargs):
    stored = _stored_row(instance.pk)
    if stored is None:
        return
    row, path = stored
    apply_deltas([(timezone.localdate(row.received_at), path, row.industry_id, m.report_items(row), -1)])


# --- Handling hops -------------------------------------------------------------------------


def _report_place(report_id) -> tuple[dt.date, str, int] | None:
    """(day, region path, industry) of a report: where its hops' measures are counted."""
    found = (
        Report.objects.filter(pk=report_id).values_list("received_at", "region__path", "industry_id").first()
    )
    if found is None:
        return None
    return timezone.localdate(found[0]), found[1], found[2]


def _hop_row(instance: Handling) -> SimpleNamespace:
    return SimpleNamespace(
        report_id=instance.report_id,
        dispatched_at=_coerce(Handling, "dispatched_at", instance.dispatched_at),
        dispatch_due=_coerce(Handling, "dispatch_due", instance.dispatch_due),
    )


def _hop_pre_save(sender, instance: Handling, update_fields=None, **kwargs):
    instance._stats_skip = not _touches(update_fields, _HOP_TRACKED)
    if instance._stats_skip or instance.pk is None:
        instance._stats_before = None
        return
    found = Handling.objects.filter(pk=instance.pk).values(*m.HOP_FIELDS).first()
    instance._stats_before = SimpleNamespace(**found) if found else None


def _hop_post_save(sender, instance: Handling, created=False, **kwargs):
    if getattr(instance, "_stats_skip", False):
        return
    before = None if created else getattr(instance, "_stats_before", None)
    instance._stats_before = None
    new = _hop_row(instance)
    new_items = m.hop_items(new)
    old_items = m.hop_items(before) if before is not None else Counter()
    if new_items == old_items and (before is None or before.report_id == new.report_id):
        return
    changes = []
    if old_items:
        place = _report_place(before.report_id)
        if place:
            changes.append((*place, old_items, -1))
    if new_items:
        place = _report_place(new.report_id)
        if place:
            changes.append((*place, new_items, 1))
    apply_deltas(changes)


def _hop_pre_delete(sender, instance: Handling, **kwargs):
    found = Handling.objects.filter(pk=instance.pk).values(*m.HOP_FIELDS).first()
    if not found:
        return
    items = m.hop_items(SimpleNamespace(**found))
    if not items:
        return
    place = _report_place(found["report_id"])
    if place:
        apply_deltas([(*place, items, -1)])


def in_transaction() -> bool:
    return connection.in_atomic_block or not transaction.get_autocommit()
