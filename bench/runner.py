"""The measurements behind docs/performance.md.

Every line times one thing the users wait for, p50 and p95 over --runs runs after a warm-up,
and beside it the same numbers computed directly on the reports table (GROUP BY; --raw-runs runs,
they take seconds), as a ratio. List pages render the real views through Django's test Client;
their "direct" column is the list's own SQL (count + first page) without rendering.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

SCREEN_TARGET_MS = 50.0
LIST_TARGET_MS = 150.0


@dataclass
class Result:
    name: str
    p50: float
    p95: float
    raw_p50: float | None = None
    raw_p95: float | None = None
    target: float | None = None
    note: str = ""
    samples: int = 0

    @property
    def ratio(self) -> float | None:
        return None if not self.raw_p95 else self.p95 / self.raw_p95

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        ok = self.p95 <= self.target
        if self.target == SCREEN_TARGET_MS and self.ratio is not None:
            ok = ok and self.ratio <= 0.1
        return ok


@dataclass
class Case:
    name: str
    fn: Callable[[], object]
    raw: Callable[[], object] | None = None
    target: float | None = None
    note: str = ""
    check: bool = True  # compare the two answers
    runs: int | None = None
    extra: dict = field(default_factory=dict)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _time(fn: Callable[[], object], runs: int, warm_up: bool = True) -> tuple[list[float], object]:
    if warm_up:
        fn()  # caches, connections, imports
    out, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = fn()
        out.append((time.perf_counter() - started) * 1000)
    return out, answer


def measure(case: Case, runs: int, raw_runs: int) -> Result:
    times, answer = _time(case.fn, case.runs or runs)
    result = Result(
        case.name,
        _percentile(times, 50),
        _percentile(times, 95),
        target=case.target,
        note=case.note,
        samples=len(times),
    )
    if case.raw is not None and raw_runs > 0:
        # No warm-up run: a direct GROUP BY takes seconds to minutes, and its first run is
        # one of the samples (the reports table is in the OS cache by then anyway).
        raw_times, raw_answer = _time(case.raw, raw_runs, warm_up=False)
        result.raw_p50, result.raw_p95 = _percentile(raw_times, 50), _percentile(raw_times, 95)
        if case.check and raw_answer != answer:
            result.note = (result.note + " 两种算法结果不一致！").strip()
    return result


# --- what is measured -------------------------------------------------------------------------


def screen_data(user, start: dt.date, end: dt.date, today: dt.date, engine: str) -> dict:
    """Every number of one 可视化分析 view for the user's whole jurisdiction: what the screen's
    API (apps.dashboard) computes, without the HTTP around it."""
    from apps.dashboard import data

    jurisdiction = data.jurisdiction_for(user)
    selection = data.select(jurisdiction, jurisdiction.root_code)
    return data.screen_panels(jurisdiction, selection, start, end, today=today, engine=engine)


def build_cases(users: dict, today: dt.date, quick: bool) -> list[Case]:
    from django.test import Client

    from apps.catalogs.models import ProblemType
    from apps.stats import queries as q

    cases: list[Case] = []
    periods = {
        "1年": (today - dt.timedelta(days=364), today),
        "10年": (today.replace(year=today.year - 10) + dt.timedelta(days=1), today),
    }
    screens = [("全国", "ministry"), ("省", "province"), ("市", "city")]
    if "bureau" in users:
        screens.append(("司局", "bureau"))
    for level, key in screens:
        scope = q.stats_scope(users[key])
        name = users[key].org.name if key == "bureau" else (scope.region.name if scope.region else "全国")
        for label, (start, end) in periods.items():
            cases.append(
                Case(
                    f"大屏数据 {level}（{name}）{label}",
                    lambda u=users[key], a=start, b=end: screen_data(u, a, b, today, "auto"),
                    lambda u=users[key], a=start, b=end: screen_data(u, a, b, today, "raw"),
                    target=SCREEN_TARGET_MS,
                )
            )
    # The screen's HTTP API end to end (apps.dashboard), nation and one year.
    try:
        from django.urls import reverse

        api = reverse("api:dashboard_screen", kwargs={"code": "100000"})
        client = Client()
        client.force_login(users["ministry"])
        start, end = periods["1年"]
        cases.append(
            Case(
                "大屏接口 HTTP 全国 1年",
                lambda: client.get(api, {"start": start, "end": end}).status_code,
                lambda: screen_data(users["ministry"], start, end, today, "raw"),
                target=SCREEN_TARGET_MS,
                check=False,
                note="apps.dashboard 的接口，含登录会话和序列化",
            )
        )
    except Exception as exc:
        print(f"（跳过大屏接口：{exc}）")

    # 举报单统计 tables, with the KPIs, for the ministry (rows: provinces) and a province.
    year_start = today.replace(month=1, day=1)
    for key, who in (("ministry", "部"), ("province", "省")):
        scope = q.stats_scope(users[key])
        for column, label in q.TABLE_COLUMNS.items():
            if quick and column != "channel":
                continue
            cases.append(
                Case(
                    f"统计表 {who} 按{label} 本年",
                    lambda s=scope, c=column: q.report_table(scope=s, start=year_start, end=today, column=c),
                    lambda s=scope, c=column: q.report_table(
                        scope=s, start=year_start, end=today, column=c, engine="raw"
                    ),
                )
            )

    # List pages through the real views.
    from apps.reports import selectors
    from apps.reports.filters import apply_report_filters

    pt = ProblemType.objects.order_by("sort_order").values_list("pk", flat=True)[1]
    since = today - dt.timedelta(days=90)
    lists = [
        ("county", "reports:todo", {}, "待办 县级"),
        ("county", "reports:todo", {"problem_type": pt}, "待办 县级 按问题类型"),
        ("county", "reports:all", {}, "所有举报 县级"),
        ("county", "reports:all", {"status": "closed", "date_from": since}, "所有举报 县级 已办结+近90天"),
        ("city", "reports:all", {}, "所有举报 市级"),
        ("province", "reports:all", {}, "所有举报 省级"),
        ("ministry", "reports:todo", {}, "待办 部级"),
        ("ministry", "reports:all", {}, "所有举报 部级"),
        (
            "ministry",
            "reports:all",
            {"problem_type": pt, "date_from": since},
            "所有举报 部级 按问题类型+近90天",
        ),
        ("ministry", "reports:all", {"status": "verifying", "page": 5}, "所有举报 部级 核查中 第5页"),
    ]
    from django.urls import reverse

    for key, url_name, params, label in lists:
        client = Client()
        client.force_login(users[key])
        url = reverse(url_name)
        data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}

        def page(c=client, u=url, d=data):
            response = c.get(u, d)
            assert response.status_code == 200, response.status_code
            return None

        def raw(user=users[key], url_name=url_name, d=params):
            filters = {k: v for k, v in d.items() if k != "page"}
            if "problem_type" in filters:
                from apps.catalogs.models import ProblemType as PT

                filters["problem_type"] = PT.objects.get(pk=filters["problem_type"])
            if url_name == "reports:todo":
                qs = apply_report_filters(selectors.worklist_for(user), filters, prefix="report__")
            else:
                qs = apply_report_filters(selectors.reports_list_for(user), filters)
            offset = (int(d.get("page", 1)) - 1) * 20
            qs.count()
            list(qs[offset : offset + 20])
            return None

        cases.append(
            Case(
                f"列表页 {label}",
                page,
                raw,
                target=LIST_TARGET_MS,
                check=False,
                note="直接列=该列表自身的SQL（计数+当页），不含渲染",
            )
        )

    cases.append(submission_case())
    return cases


def submission_case() -> Case:
    """One public submission (apps.public) — and the same with the statistics signals disconnected."""
    import secrets

    from django.core.cache import cache

    from apps.public.actions import public_report_submit
    from apps.public.sessions import PublicSession
    from apps.regions.selectors import leaf_regions
    from apps.stats import maintain

    region = leaf_regions().filter(code__startswith="41").first() or leaf_regions().first()
    form = {
        "mode": "anonymous",
        "region": region.code,
        "address": "某路1号",
        "problem_type": "major_hazard",
        "industry": "hazchem",
        "reported_unit_name": "某化工有限公司",
        "reported_unit_address": "",
        "description": "储罐区未设置可燃气体报警装置，危险化学品仓库超量储存，请尽快查处。",
    }

    def submit():
        now = time.time()
        session = PublicSession(
            sid=secrets.token_urlsafe(12), channel="web", shown_at=now - 60, acknowledged_at=now
        )
        cache.set(session.cache_key("human"), True, 60)
        public_report_submit(
            session=session,
            data=form,
            files=[],
            idempotency_key=secrets.token_hex(8),
            captcha_key=None,
            captcha_answer=None,
            client=secrets.token_hex(6),
        )

    def submit_without_stats():
        from django.db.models import signals

        from apps.reports.models import Handling, Report

        pairs = [
            (signals.pre_save, Report, "stats_report_pre_save"),
            (signals.post_save, Report, "stats_report_post_save"),
            (signals.pre_save, Handling, "stats_hop_pre_save"),
            (signals.post_save, Handling, "stats_hop_post_save"),
        ]
        for signal, sender, uid in pairs:
            signal.disconnect(sender=sender, dispatch_uid=uid)
        try:
            submit()
        finally:
            maintain.connect()

    return Case(
        "公众网上提交一件举报",
        submit,
        submit_without_stats,
        target=None,
        check=False,
        runs=20,
        note="直接列=同一提交但不维护统计单元（差值即维护开销）",
    )


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT count(*) FROM reports_report")
        reports = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM stats_cell")
        cells = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "pg_size_pretty(pg_total_relation_size('reports_report')), "
            "pg_size_pretty(pg_total_relation_size('stats_cell'))"
        )
        db_size, report_size, cell_size = cursor.fetchone()
        settings = {}
        for name in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "jit",
            "max_parallel_workers_per_gather",
        ):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "postgres": version,
        "python": platform.python_version(),
        "reports": reports,
        "cells": cells,
        "db_size": db_size,
        "reports_table": report_size,
        "cells_table": cell_size,
        "pg_settings": settings,
        "load_average": os.getloadavg(),
    }


def _fmt(value: float | None) -> str:
    return "—" if value is None else (f"{value:.1f}" if value < 1000 else f"{value:,.0f}")


def print_table(info: dict, results: list[Result]) -> None:
    print(
        f"机器：{info['cpus']} 核，内存 {info['memory_gb']} GB，{info['postgres']}，Python {info['python']}"
    )
    print(
        f"数据：举报单 {info['reports']:,} 条，统计单元 {info['cells']:,} 个；数据库 {info['db_size']}"
        f"（举报单表 {info['reports_table']}，统计单元表 {info['cells_table']}）"
    )
    print("PostgreSQL 设置：" + "，".join(f"{k}={v}" for k, v in info["pg_settings"].items()))
    print(f"测量开始时系统负载：{', '.join(f'{x:.2f}' for x in info['load_average'])}")
    header = f"{'项目':<34}{'p50':>9}{'p95':>9}{'直接p50':>10}{'直接p95':>10}{'比值':>8}{'目标':>8}  结果"
    print(header)
    print("-" * 100)
    for r in results:
        ratio = "—" if r.ratio is None else f"{r.ratio:.3f}"
        target = "—" if r.target is None else f"≤{r.target:.0f}"
        verdict = {True: "达标", False: "未达标", None: ""}[r.passed]
        print(
            f"{r.name:<34}{_fmt(r.p50):>9}{_fmt(r.p95):>9}{_fmt(r.raw_p50):>10}{_fmt(r.raw_p95):>10}"
            f"{ratio:>8}{target:>8}  {verdict} {r.note}"
        )
    print(
        "（单位：毫秒。比值 = p95 / 直接 p95。"
        "大屏数据目标：p95 ≤ 50 ms 且比值 ≤ 0.1；列表页目标：p95 ≤ 150 ms。）"
    )


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=30, help="每项测量次数（默认30）")
    parser.add_argument("--raw-runs", type=int, default=3, help="直接 GROUP BY 的测量次数（默认3，耗时较长）")
    parser.add_argument("--only", default="", help="只测名称包含该文字的项目")
    parser.add_argument("--quick", action="store_true", help="少测几项（冒烟）")
    parser.add_argument("--json", default="", help="把结果另存为 JSON 文件")
    args = parser.parse_args(argv)

    from django.db import connection
    from django.utils import timezone

    from apps.stats.seed import bench_users

    if connection.vendor != "postgresql":
        print("make bench 需要 PostgreSQL（BENCH_DATABASE_URL）。")
        return 2
    today = timezone.localdate()
    users = bench_users()
    info = machine()
    results = []
    for case in build_cases(users, today, args.quick):
        if args.only and args.only not in case.name:
            continue
        result = measure(case, args.runs, args.raw_runs)
        results.append(result)
        print(
            f"  {result.name}: p50 {_fmt(result.p50)} ms, p95 {_fmt(result.p95)} ms"
            + (f"；直接 p95 {_fmt(result.raw_p95)} ms" if result.raw_p95 else ""),
            flush=True,
        )
    print()
    print_table(info, results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "machine": info,
                    "date": today.isoformat(),
                    "results": [asdict(r) | {"ratio": r.ratio, "passed": r.passed} for r in results],
                },
                fh,
                ensure_ascii=False,
                indent=2,
                default=str,
            )
    return 0 if all(r.passed is not False for r in results) else 1
