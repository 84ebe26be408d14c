"""Synthetic national data for the benchmarks, loaded with bulk SQL (COPY and INSERT … SELECT).

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/generate.py --scale national [--fresh]

Scales nest: commune (1 commune), province (100), national (3,300). Each commune gets ~15 units
(the demo's kinds plus party cells, a school and mass organisations), a head post and its holder
per unit, the commune's directing posts, two staff per unit, the Party Office, Inspection and an
administrator; one active plan of ~50 tasks and ~30 indicators drawn from the sample appendices
(bench/shapes.py: their names, collective leads, supporting units, outputs and timelines, with
monthly and quarterly recurrences added); and twenty years of occurrences, ≈6,000 a commune
(≈20 million nationally). Past periods are mostly done (some late, some returned), the current
ones open, and a backlog of recent periods open too, so that ≈1 million are open, most overdue or
due soon. Open occurrences carry their supporting units' contributions and the notifications
the daily sweeps up to yesterday recorded; ≈3,000 audit events a commune (≈10 million) form
valid hash chains (audit.chain.event_hash), written by two processes.

No viewflow process rows are written: the pages, the sweep, reports and verify_audit read
occurrences only (bench/pages.py checks that no query touches viewflow's tables).

Restartable: each batch of communes commits with its progress in bench_state, so an interrupted
run goes on where it stopped; a finished scale is skipped. --fresh drops and recreates the database.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEFAULT_DATABASE_URL, ROOT, django_setup, state_get, state_set  # noqa: E402

SCALES = {"commune": 1, "province": 100, "national": 3300}
BATCH = 50  # communes per transaction
AUDIT_EVENTS_PER_COMMUNE = 3030  # ≈10 million nationally
HISTORY_YEARS = 20
PASSWORD = "sauro-bench-2025"
ICT = "Asia/Ho_Chi_Minh"

# Share of occurrences left open, by how long ago they were due (per 10,000): the current
# period is always open, a recent backlog partly, the old past rarely (forgotten work).
OPEN_PER_10000 = ((30, 8000), (90, 6000), (365, 3000), (None, 160))

UNITS = (  # (name, kind, head post)
    ("Văn phòng Đảng ủy", "party_body", "Chánh Văn phòng Đảng ủy"),
    ("Ban Xây dựng Đảng", "party_body", "Trưởng ban Xây dựng Đảng"),
    ("Ủy ban kiểm tra Đảng ủy", "party_body", "Chủ nhiệm Ủy ban kiểm tra Đảng ủy"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", "front", "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã"),
    ("Văn phòng HĐND và UBND", "department", "Chánh Văn phòng HĐND và UBND"),
    ("Phòng Văn hóa - Xã hội", "department", "Trưởng phòng Văn hóa - Xã hội"),
    ("Phòng Kinh tế", "department", "Trưởng phòng Kinh tế"),
    ("Trung tâm Phục vụ hành chính công", "department", "Giám đốc Trung tâm Phục vụ hành chính công"),
    ("Công an xã", "police", "Trưởng Công an xã"),
    ("Ngân hàng Nhà nước", "bank", "Giám đốc Phòng giao dịch Ngân hàng"),
    ("Hội Nông dân xã", "mass_organisation", "Chủ tịch Hội Nông dân xã"),
    ("Đoàn Thanh niên xã", "mass_organisation", "Bí thư Đoàn Thanh niên xã"),
    ("Trường Trung học cơ sở xã", "school", "Hiệu trưởng Trường Trung học cơ sở xã"),
    ("Chi bộ thôn Đông", "party_cell", "Bí thư Chi bộ thôn Đông"),
    ("Chi bộ thôn Tây", "party_cell", "Bí thư Chi bộ thôn Tây"),
)
DIRECTING_POSTS = ("Bí thư Đảng ủy", "Chủ tịch UBND xã", "Phó Chủ tịch UBND xã phụ trách khối VHXH",
                   "Phó Chủ tịch UBND xã phụ trách khối Kinh tế")
OTHER_POSTS = ("Phó Bí thư Thường trực Đảng ủy",)
# How often a unit leads a single-unit task: the departments and party bodies carry most.
LEAD_WEIGHTS = (6, 4, 2, 2, 5, 8, 7, 4, 3, 1, 1, 1, 1, 1, 1)

# A commune's plan: (how many, lead shape, timeline), ~50 tasks; the sample plans' mix with
# monthly and quarterly recurrences added. Collective leads give one occurrence per unit.
SLOTS = (
    (8, "single", "once"), (4, "all_units", "once"),
    (12, "single", "annual"), (4, "all_units", "open_ended"),
    (5, "single", "ongoing"), (4, "single", "quarterly"), (2, "departments", "quarterly"), (1, "all_units", "ongoing"),
    (7, "single", "monthly"), (1, "single", "semiannual"), (2, "single", "on_request"),
)
RECURRING_TEXT = {"monthly": "Hằng tháng", "quarterly": "Hằng quý", "ongoing": "Thường xuyên", "annual": "Hằng năm",
                  "semiannual": "6 tháng một lần", "on_request": "Theo yêu cầu"}
LEAD_TEXT = {"all_units": "Phòng, ban ngành, đơn vị", "departments": "Phòng, ban ngành"}
INDICATORS_PER_PLAN = 30
STAFF_PER_UNIT = 2


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# The database


def database_recreate(url: str) -> None:
    """--fresh: drop and create the bench database, then migrate it."""
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("sauro_bench"):
        raise SystemExit(f"--fresh drops the database: refusing for {name!r} (must start with sauro_bench).")
    admin = url[: url.rfind("/")] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate()


def database_ensure(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url[: url.rfind("/")] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], check=True, env=env,
                   cwd=ROOT)


BULK_TABLES = ("sauro_workflow_occurrence", "audit_auditevent", "notifications_notification",
               "sauro_workflow_contribution")


def indexes_drop() -> None:
    """Secondary indexes off while loading (kept in bench_state, rebuilt once at the end): far faster."""
    from django.db import connection

    saved = state_get("dropped_indexes", [])
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
        """, [list(BULK_TABLES)])
        rows = cursor.fetchall()
        known = {name for name, _ in saved}
        saved += [[name, definition] for name, definition in rows if name not in known]
        state_set("dropped_indexes", saved)
        for name, _ in rows:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    if rows:
        log(f"dropped {len(rows)} secondary indexes for the load")


def indexes_restore() -> None:
    from django.db import connection

    saved = state_get("dropped_indexes", [])
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in saved:
            started = time.perf_counter()
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                           .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
            log(f"index {name}: {time.perf_counter() - started:.0f} s")
    state_set("dropped_indexes", [])


# Dates and timelines


def today_get() -> date:
    stored = state_get("today")
    if stored:
        return date.fromisoformat(stored)
    from django.utils import timezone

    today = timezone.localdate()
    state_set("today", today.isoformat())
    return today


def history_start(today: date) -> date:
    return date(today.year - HISTORY_YEARS, today.month, 1)


@functools.lru_cache(maxsize=None)
def timeline_for(text: str) -> dict:
    from tasks.parsing.timeline import timeline_parse

    return timeline_parse(text=text).to_dict()


def due_table(*, today: date, once_keys: set[str]) -> list[tuple[str, int, str, date]]:
    """(timeline key, index, period key, due date) for every recurring kind over the history, and each once date."""
    from tasks.parsing.timeline import timeline_due_dates, timeline_from_dict
    from workflow.calendar import calendar_build
    from workflow.services import GENERATION_HORIZON_DAYS, period_key_for

    calendar = calendar_build()
    start = history_start(today)
    rows = []
    texts = {**RECURRING_TEXT, "open_ended": f"{start.year} và những năm tiếp theo"}
    for kind, text in texts.items():
        if kind == "on_request":
            continue
        timeline = timeline_from_dict(data=timeline_for(text))
        dates = set(timeline_due_dates(timeline=timeline, calendar=calendar, start=start,
                                       end=today + timedelta(days=GENERATION_HORIZON_DAYS)))
        upcoming = timeline_due_dates(timeline=timeline, calendar=calendar, start=today, end=today + timedelta(days=400))
        if upcoming:
            dates.add(upcoming[0])
        seen = set()
        for due in sorted(dates):
            key = period_key_for(kind=kind, due=due)
            if key in seen:
                continue
            seen.add(key)
            rows.append((kind, len(seen), key, due))
    for key in sorted(once_keys):
        rows.append((key, 1, "once", date.fromisoformat(key.split(":", 1)[1])))
    return rows


def once_text_due(*, rng: random.Random, today: date) -> tuple[str, date]:
    """A one-off task's month: mostly in the plan's first two years, some later, a few still ahead."""
    from tasks.parsing.timeline import timeline_due_dates, timeline_from_dict
    from workflow.calendar import calendar_build

    start = history_start(today)
    roll = rng.random()
    if roll < 0.7:
        day = start + timedelta(days=rng.randint(20, 730))
    elif roll < 0.9:
        day = start + timedelta(days=rng.randint(20, (today - start).days))
    else:
        day = today + timedelta(days=rng.randint(10, 180))
    text = f"Tháng {day.month}/{day.year}"
    due = _once_cache.get(text)
    if due is None:
        timeline = timeline_from_dict(data=timeline_for(text))
        due = timeline_due_dates(timeline=timeline, calendar=calendar_build(), start=date(1990, 1, 1),
                                 end=date(2100, 1, 1))[0]
        _once_cache[text] = due
    return text, due


_once_cache: dict[str, date] = {}


def first_upcoming(*, kind: str, text: str, today: date) -> date | None:
    """A recurring task's next due date, as the importer would store it in first_due_on."""
    if kind == "on_request":
        return None
    if text not in _once_cache:
        from tasks.parsing.timeline import timeline_due_dates, timeline_from_dict
        from workflow.calendar import calendar_build

        upcoming = timeline_due_dates(timeline=timeline_from_dict(data=timeline_for(text)), calendar=calendar_build(),
                                      start=today, end=today + timedelta(days=400))
        _once_cache[text] = upcoming[0] if upcoming else None
    return _once_cache[text]


# Ids: the generator is the only writer, so it numbers rows itself and moves the sequences after.


class Ids:
    TABLES = ("roles_commune", "roles_unit", "roles_post", "roles_user", "roles_postholding", "roles_rolegrant",
              "tasks_plan", "tasks_rowgroup", "tasks_task", "tasks_task_lead_units", "tasks_task_supporting_units",
              "tasks_indicator", "tasks_indicator_monitoring_units", "tasks_indicatortarget",
              "sauro_workflow_escalationpolicy", "sauro_workflow_calendaroverride")

    def __init__(self, cursor):
        self.next = {}
        for table in self.TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            self.next[table] = cursor.fetchone()[0] + 1

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value

    def sequences_move(self, cursor) -> None:
        for table in self.TABLES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest(%s, 1))",
                           [self.next[table] - 1])


@dataclass
class Rows:
    """Rows per table for one batch, written by COPY."""

    tables: dict

    def add(self, table: str, columns: tuple, row: tuple) -> None:
        entry = self.tables.setdefault(table, (columns, []))
        entry[1].append(row)

    def copy(self, cursor) -> None:
        for table, (columns, rows) in self.tables.items():
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def j(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# One commune's people, plan and tasks


def commune_build(*, n: int, ids: Ids, rows: Rows, pool: dict, today: date, password: str, now: datetime,
                  leads: list, heads: list, holders: list, roles: list, once_keys: set, specials: dict) -> None:
    rng = random.Random(n)
    start = history_start(today)
    commune_id = ids.take("roles_commune")
    province = (n - 1) // 100 + 1
    kinds = ["decision", "plan"] if n % 3 == 0 else ["decision"]
    rows.add("roles_commune", ("id", "slug", "name", "province", "created_at", "directing_approval_kinds"),
             (commune_id, f"bench-{n:04d}", f"Xã Bench {n:04d}", f"Tỉnh Bench {province:02d}", now, j(kinds)))

    def person(suffix: str, full_name: str) -> int:
        pk = ids.take("roles_user")
        username = f"b{n:04d}.{suffix}"
        rows.add("roles_user", ("id", "password", "is_superuser", "username", "first_name", "last_name", "email",
                                "is_staff", "is_active", "date_joined", "full_name", "commune_id"),
                 (pk, password, False, username, "", "", f"{username}@bench.sauro.local", False, True, now,
                  full_name, commune_id))
        return pk

    def grant(person_id: int, role: str, unit_id: int | None = None) -> None:
        rows.add("roles_rolegrant", ("id", "province", "role", "granted_at", "commune_id", "person_id", "unit_id"),
                 (ids.take("roles_rolegrant"), "", role, now, commune_id, person_id, unit_id))

    def post(title: str, unit_id: int | None, is_head: bool, holder: int) -> int:
        pk = ids.take("roles_post")
        rows.add("roles_post", ("id", "title", "is_unit_head", "aliases", "commune_id", "unit_id"),
                 (pk, title, is_head, "[]", commune_id, unit_id))
        started = start + timedelta(days=rng.randint(0, 5000))
        rows.add("roles_postholding", ("id", "started_on", "ended_on", "person_id", "post_id"),
                 (ids.take("roles_postholding"), started, None, holder, pk))
        holders.append((pk, holder))
        return pk

    surnames = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
    given = ("Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quang Huy", "Thị Lan", "Văn Nam",
             "Thanh Tâm", "Hồng Nhung", "Công Danh", "Kim Oanh")

    def name() -> str:
        return f"{rng.choice(surnames)} {rng.choice(given)}"

    units = []  # (id, name, kind, head person, staff persons)
    for index, (unit_name, kind, head_title) in enumerate(UNITS):
        unit_id = ids.take("roles_unit")
        rows.add("roles_unit", ("id", "name", "kind", "aliases", "created_at", "commune_id"),
                 (unit_id, unit_name, kind, "[]", now, commune_id))
        head = person(f"u{index + 1}.head", name())
        post(head_title, unit_id, True, head)
        grant(head, "unit_head", unit_id)
        staff = []
        for s in range(STAFF_PER_UNIT):
            member = person(f"u{index + 1}.staff{s + 1}", name())
            grant(member, "staff", unit_id)
            staff.append(member)
        units.append((unit_id, unit_name, kind, head, staff))
        heads.append((unit_id, head, staff[0], staff[1]))
    by_name = {u[1]: u for u in units}
    roles.append((commune_id, "party_office", by_name["Văn phòng Đảng ủy"][3]))
    grant(by_name["Văn phòng Đảng ủy"][3], "party_office", by_name["Văn phòng Đảng ủy"][0])
    roles.append((commune_id, "party_office", by_name["Văn phòng Đảng ủy"][4][0]))
    grant(by_name["Văn phòng Đảng ủy"][4][0], "party_office", by_name["Văn phòng Đảng ủy"][0])
    roles.append((commune_id, "inspection", by_name["Ủy ban kiểm tra Đảng ủy"][3]))
    grant(by_name["Ủy ban kiểm tra Đảng ủy"][3], "inspection", by_name["Ủy ban kiểm tra Đảng ủy"][0])
    grant(by_name["Ủy ban Mặt trận Tổ quốc Việt Nam xã"][3], "front", by_name["Ủy ban Mặt trận Tổ quốc Việt Nam xã"][0])
    directing = []
    for index, title in enumerate(DIRECTING_POSTS):
        holder = person(f"lead{index + 1}", name())
        directing.append(post(title, None, False, holder))
        grant(holder, "directing")
    for index, title in enumerate(OTHER_POSTS):
        post(title, None, False, person(f"post{index + 1}", name()))
    grant(person("admin", name()), "commune_admin")

    # The plan, its groups, tasks and indicators.
    sample = pool["plans"][n % len(pool["plans"])]
    plan_id = ids.take("tasks_plan")
    rows.add("tasks_plan", ("id", "number_symbol", "kind", "issuer", "issued_on", "title", "implements", "status",
                            "source_name", "source_sha256", "import_warnings", "imported_at", "commune_id"),
             (plan_id, f"{rng.randint(10, 300)}-KH/ĐU", sample["kind"], sample["issuer"], start, sample["title"],
              j(sample["implements"]), "active", "ke_hoach.docx", hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
              "[]", now, commune_id))
    task_groups = sorted({t["group"] for t in pool["tasks"] if t["group"]})[:4] or ["NHIỆM VỤ"]
    indicator_groups = sorted({i["group"] for i in pool["indicators"] if i["group"]})[:3] or ["CHỈ TIÊU"]
    group_ids = {}
    numerals = ("I", "II", "III", "IV", "V")
    for appendix, titles in (("tasks", task_groups), ("indicators", indicator_groups)):
        for position, title in enumerate(titles, 1):
            pk = ids.take("tasks_rowgroup")
            group_ids[(appendix, position)] = pk
            rows.add("tasks_rowgroup", ("id", "appendix", "numeral", "title", "position", "source_row", "plan_id"),
                     (pk, appendix, numerals[position - 1] + ".", title, position, position, plan_id))

    slots = []
    for count, lead, kind in SLOTS:
        if kind in ("monthly", "annual") and lead == "single":
            count += rng.choice((-1, 0, 0, 1))
        slots += [(lead, kind)] * count
    rng.shuffle(slots)
    by_shape = {shape: [t for t in pool["tasks"] if t["lead"] == shape] or pool["tasks"]
                for shape in ("single", "departments", "all_units")}
    for position, (lead, kind) in enumerate(slots, 1):
        shape = rng.choice(by_shape[lead])
        if kind == "once":
            text, due = once_text_due(rng=rng, today=today)
            key = f"once:{due.isoformat()}"
            once_keys.add(key)
        else:
            text = RECURRING_TEXT.get(kind) or f"{start.year} và những năm tiếp theo"
            key = kind
            due = first_upcoming(kind=kind, text=text, today=today)
        if lead == "single":
            chosen = rng.choices(units, weights=LEAD_WEIGHTS)[0]
            lead_ids, lead_text, collectives = [chosen[0]], chosen[1], []
        elif lead == "departments":
            lead_ids = [u[0] for u in units if u[2] == "department"]
            lead_text, collectives = LEAD_TEXT[lead], ["departments"]
        else:
            lead_ids, lead_text, collectives = [u[0] for u in units], LEAD_TEXT[lead], ["all_units"]
        supporting = []
        if lead == "single" and rng.random() < 0.35:
            supporting = rng.sample([u[0] for u in units if u[0] != lead_ids[0]], rng.choice((1, 1, 2)))
        directing_post = rng.choice(directing) if rng.random() < 0.7 else None
        task_id = ids.take("tasks_task")
        group = group_ids[("tasks", 1 + (position - 1) * len(task_groups) // len(slots))]
        rows.add("tasks_task", ("id", "position", "source_row", "number", "name", "directing_text", "lead_text",
                                "lead_collectives", "supporting_text", "supporting_collectives", "output_text",
                                "output_kind", "timeline_text", "timeline", "first_due_on", "unresolved_names",
                                "directing_post_id", "group_id", "plan_id", "needs_directing_approval"),
                 (task_id, position, position + 2, str(position), shape["name"],
                  DIRECTING_POSTS[directing.index(directing_post)] if directing_post else "", lead_text,
                  j(collectives), ", ".join(by_id[1] for by_id in units if by_id[0] in supporting), "[]",
                  shape["output_text"], shape["output_kind"], text, j(timeline_for(text)), due, "[]",
                  directing_post, group, plan_id, None))
        for unit_id in lead_ids:
            rows.add("tasks_task_lead_units", ("id", "task_id", "unit_id"),
                     (ids.take("tasks_task_lead_units"), task_id, unit_id))
        for unit_id in supporting:
            rows.add("tasks_task_supporting_units", ("id", "task_id", "unit_id"),
                     (ids.take("tasks_task_supporting_units"), task_id, unit_id))
        if kind != "on_request":
            needs = directing_post is not None and shape["output_kind"] in kinds
            for unit_id in lead_ids:
                leads.append((task_id, unit_id, commune_id, plan_id, directing_post, needs, key))

    indicators = rng.sample(pool["indicators"], min(INDICATORS_PER_PLAN, len(pool["indicators"])))
    for position, indicator in enumerate(indicators, 1):
        pk = ids.take("tasks_indicator")
        monitoring = [by_name[name][0] for name in indicator["monitoring_units"] if name in by_name] or \
            [rng.choice(units)[0]]
        rows.add("tasks_indicator", ("id", "position", "source_row", "number", "name", "measurement_unit",
                                     "directing_text", "presiding_text", "monitoring_text", "monitoring_collectives",
                                     "output_text", "unresolved_names", "directing_post_id", "plan_id", "group_id"),
                 (pk, position, position + 2, str(position), indicator["name"], indicator["measurement_unit"],
                  indicator["directing_text"], indicator["presiding_text"], indicator["monitoring_text"], "[]",
                  indicator["output_text"], "[]", rng.choice(directing), plan_id,
                  group_ids[("indicators", 1 + (position - 1) * len(indicator_groups) // len(indicators))]))
        for unit_id in monitoring:
            rows.add("tasks_indicator_monitoring_units", ("id", "indicator_id", "unit_id"),
                     (ids.take("tasks_indicator_monitoring_units"), pk, unit_id))
        for target in indicator["targets"]:
            rows.add("tasks_indicatortarget", ("id", "year", "text", "kind", "low", "high", "unit", "strive", "scope",
                                               "indicator_id"),
                     (ids.take("tasks_indicatortarget"), target["year"], target["text"], target["kind"],
                      target["low"], target["high"], target["unit"], target["strive"], target["scope"], pk))

    # A few communes set their own rules: calendar days instead of working days, or their own days off.
    if n % 100 == 37:
        rows.add("sauro_workflow_escalationpolicy", ("id", "rungs", "updated_at", "commune_id", "counts_working_days"),
                 (ids.take("sauro_workflow_escalationpolicy"), j(_default_rungs()), now, commune_id, False))
        specials[commune_id] = "calendar_days"
    if n % 100 == 73:
        saturday = today - timedelta(days=(today.weekday() - 5) % 7)
        for day, working, reason in ((saturday, True, "Làm bù"), (today - timedelta(days=12), False, "Nghỉ bù")):
            rows.add("sauro_workflow_calendaroverride", ("id", "day", "is_working_day", "reason", "commune_id"),
                     (ids.take("sauro_workflow_calendaroverride"), day, working, reason, commune_id))
        specials[commune_id] = "calendar"


def _default_rungs() -> list[dict]:
    from workflow.models import escalation_rungs_default

    return escalation_rungs_default()


# Occurrences, contributions, extension requests and past notifications: set-based SQL


def _open_case(age: str) -> str:
    parts = []
    for days, per in OPEN_PER_10000:
        parts.append(f"WHEN {age} <= {days} THEN {per}" if days is not None else f"ELSE {per}")
    return "CASE WHEN " + age + " < 0 THEN 10000 " + " ".join(parts) + " END"


OCCURRENCES_SQL = """
WITH base AS (
    SELECT l.task_id, l.unit_id, l.commune_id, l.plan_id, l.directing_post_id, l.needs, d.period_key, d.due_on,
           h.staff1, h.staff2,
           abs(hashtext(l.task_id || '/' || l.unit_id || '/' || d.idx)) %% 10000 AS h1,
           abs(hashtext(l.unit_id || ':' || d.idx || ':' || l.task_id)) %% 10000 AS h2,
           abs(hashtext(d.idx || '-' || l.task_id || '-' || l.unit_id)) %% 10000 AS h3,
           (%(today)s::date - d.due_on) AS age
    FROM bench_lead l JOIN bench_due d ON d.tl = l.tl JOIN bench_head h ON h.unit_id = l.unit_id
), stated AS (
    SELECT b.*,
        CASE
            WHEN b.h1 < ({open_case}) THEN
                CASE
                    WHEN b.age < -10 THEN CASE WHEN b.h2 < 5000 THEN 'assigned' ELSE 'in_progress' END
                    WHEN b.h2 < 2500 THEN 'assigned'
                    WHEN b.h2 < 7000 THEN 'in_progress'
                    WHEN b.h2 < 8000 THEN 'submitted'
                    WHEN b.h2 < 9000 THEN 'returned'
                    WHEN b.needs THEN 'awaiting_directing'
                    ELSE 'in_progress'
                END
            WHEN b.h2 < 50 THEN 'cancelled'
            ELSE 'done'
        END AS status,
        CASE WHEN b.h3 >= 9700 THEN 15 ELSE 0 END AS ext
    FROM base b
), timed AS (
    SELECT s.*,
        ((least(s.due_on - 45, %(today)s::date) + time '01:15') AT TIME ZONE '{tz}') AS created,
        CASE WHEN s.status = 'done' THEN
            least(CASE WHEN s.h3 < 1200 THEN s.due_on + s.ext + 1 + s.h3 %% 40 ELSE s.due_on + s.ext - s.h3 %% 15 END,
                  %(today)s::date - 1)
        END AS finished
    FROM stated s
)
INSERT INTO sauro_workflow_occurrence (
    period_key, due_on, original_due_on, status, needs_directing_approval, return_count, extension_count,
    went_on_without, created_at, accepted_at, submitted_at, finished_at, finished_on, finished_on_time,
    assignee_id, commune_id, directing_post_id, plan_id, process_id, task_id, unit_id)
SELECT t.period_key, t.due_on + t.ext, t.due_on, t.status, t.needs,
    CASE WHEN t.status = 'returned' THEN 1 + (t.h3 %% 3 = 0)::int
         WHEN t.status = 'done' AND t.h2 %% 100 < 7 THEN 1 + (t.h2 %% 100 < 2)::int ELSE 0 END,
    (t.ext > 0)::int, '[]', t.created,
    CASE WHEN t.status IN ('assigned', 'cancelled') THEN NULL
         ELSE least(t.created + (1 + t.h2 %% 3) * interval '1 day', %(now)s) END,
    CASE WHEN t.status = 'done' THEN ((t.finished - 1) + time '15:00') AT TIME ZONE '{tz}'
         WHEN t.status IN ('submitted', 'returned', 'awaiting_directing')
              THEN least(t.created + interval '10 days', %(now)s) END,
    CASE WHEN t.status = 'done' THEN (t.finished + time '10:30') AT TIME ZONE '{tz}' END,
    t.finished,
    CASE WHEN t.status = 'done' THEN t.finished <= t.due_on END,
    CASE WHEN t.status IN ('assigned', 'cancelled') THEN NULL WHEN t.h2 %% 2 = 0 THEN t.staff1 ELSE t.staff2 END,
    t.commune_id, t.directing_post_id, t.plan_id, NULL, t.task_id, t.unit_id
FROM timed t
ORDER BY t.commune_id, t.due_on, t.task_id, t.unit_id
""".format(open_case=_open_case("b.age"), tz=ICT)

OPEN = "('assigned','in_progress','submitted','returned','awaiting_directing')"

CONTRIBUTIONS_SQL = f"""
INSERT INTO sauro_workflow_contribution (status, text, submitted_at, flow_task_id, submitted_by_id, unit_id, occurrence_id)
SELECT CASE WHEN abs(hashtext(o.id || 'c' || s.unit_id)) %% 10 < 4 THEN 'submitted' ELSE 'requested' END,
       CASE WHEN abs(hashtext(o.id || 'c' || s.unit_id)) %% 10 < 4 THEN 'Đơn vị đã phối hợp cung cấp số liệu.' ELSE '' END,
       CASE WHEN abs(hashtext(o.id || 'c' || s.unit_id)) %% 10 < 4 THEN o.created_at + interval '5 days' END,
       NULL,
       CASE WHEN abs(hashtext(o.id || 'c' || s.unit_id)) %% 10 < 4 THEN h.staff1 END,
       s.unit_id, o.id
FROM sauro_workflow_occurrence o
JOIN tasks_task_supporting_units s ON s.task_id = o.task_id AND s.unit_id <> o.unit_id
JOIN bench_head h ON h.unit_id = s.unit_id
WHERE o.id BETWEEN %(lo)s AND %(hi)s AND o.status IN {OPEN}
"""

EXTENSIONS_SQL = f"""
INSERT INTO sauro_workflow_extensionrequest (requested_at, current_due_on, requested_due_on, reason, status,
    decided_at, decision_reason, decided_by_id, requested_by_id, occurrence_id)
SELECT least(o.created_at + interval '12 days', %(now)s), o.due_on, o.due_on + 30,
       'Chờ số liệu của đơn vị phối hợp.', 'pending', NULL, '', NULL, o.assignee_id, o.id
FROM sauro_workflow_occurrence o
WHERE o.id BETWEEN %(lo)s AND %(hi)s AND o.status = 'in_progress' AND o.assignee_id IS NOT NULL
  AND o.directing_post_id IS NOT NULL AND abs(hashtext(o.id || 'x')) %% 200 = 0
"""

# The notifications the daily sweeps recorded up to yesterday: every rung an open occurrence has reached.
NOTIFICATIONS_SQL = f"""
INSERT INTO notifications_notification (rung, kind, message_key, params, url, batch, created_at, read_at, digest_at,
                                        commune_id, occurrence_id, recipient_id)
SELECT r.rung, r.kind, r.message_key,
       jsonb_build_object('task', left(t.name, 200), 'unit', u.name, 'due_on', o.due_on::text),
       '/occurrences/' || o.id || '/', NULL, x.at,
       CASE WHEN abs(hashtext(o.id || r.rung || x.recipient)) %% 10 < 6 THEN x.at + interval '1 day' END,
       x.at, o.commune_id, o.id, x.recipient
FROM sauro_workflow_occurrence o
JOIN bench_rung r ON r.commune_id = o.commune_id AND o.due_on <= r.reached_by
JOIN tasks_task t ON t.id = o.task_id
JOIN roles_unit u ON u.id = o.unit_id
JOIN bench_head h ON h.unit_id = o.unit_id
CROSS JOIN LATERAL (
    SELECT least(((o.due_on + (r.offset_days * 7 / 5)) + time '07:00') AT TIME ZONE '{ICT}', %(yesterday)s) AS at,
           w.recipient
    FROM (
        SELECT CASE WHEN o.status <> 'assigned' AND o.assignee_id IS NOT NULL THEN o.assignee_id ELSE h.head END
               AS recipient WHERE 'person' = ANY(r.recipients)
        UNION SELECT h.head WHERE 'unit_head' = ANY(r.recipients)
        UNION SELECT ph.person_id FROM bench_holder ph
              WHERE ph.post_id = o.directing_post_id AND 'directing' = ANY(r.recipients)
        UNION SELECT cr.person_id FROM bench_role cr
              WHERE cr.commune_id = o.commune_id AND cr.role = ANY(r.recipients)
    ) w WHERE w.recipient IS NOT NULL
) x
WHERE o.id BETWEEN %(lo)s AND %(hi)s AND o.status IN {OPEN}
ON CONFLICT DO NOTHING
"""


def rungs_reached(*, commune_ids: list[int], specials: dict, yesterday: date) -> list[tuple]:
    """(commune, rung, kind, message key, offset, latest due date that reached it by yesterday, recipients)."""
    from workflow.calendar import calendar_build
    from workflow.calendars import commune_calendars_get
    from workflow.escalation import _EVERY_DAY, _message_key, _thresholds

    national = calendar_build()
    calendars = commune_calendars_get(commune_ids=set(specials))
    cache: dict = {}
    rows = []
    for commune_id in commune_ids:
        special = specials.get(commune_id)
        calendar = _EVERY_DAY if special == "calendar_days" else calendars.get(commune_id, national)
        key = id(calendar) if special else "national"
        if key not in cache:
            cache[key] = _thresholds(rungs=_default_rungs(), calendar=calendar, today=yesterday)
        for rung, limit, _later in cache[key]:
            rows.append((commune_id, rung["key"], "escalation" if rung["offset"] > 0 else "reminder",
                         _message_key(rung), rung["offset"], limit, "{" + ",".join(rung["to"]) + "}"))
    return rows


def temp_tables(cursor, *, due: list, leads: list, heads: list, holders: list, roles: list, rungs: list) -> None:
    cursor.execute("""
        CREATE TEMP TABLE bench_due (tl text, idx int, period_key text, due_on date) ON COMMIT DROP;
        CREATE TEMP TABLE bench_lead (task_id bigint, unit_id bigint, commune_id bigint, plan_id bigint,
                                      directing_post_id bigint, needs boolean, tl text) ON COMMIT DROP;
        CREATE TEMP TABLE bench_head (unit_id bigint PRIMARY KEY, head bigint, staff1 bigint, staff2 bigint) ON COMMIT DROP;
        CREATE TEMP TABLE bench_holder (post_id bigint PRIMARY KEY, person_id bigint) ON COMMIT DROP;
        CREATE TEMP TABLE bench_role (commune_id bigint, role text, person_id bigint) ON COMMIT DROP;
        CREATE TEMP TABLE bench_rung (commune_id bigint, rung text, kind text, message_key text, offset_days int,
                                      reached_by date, recipients text[]) ON COMMIT DROP;
    """)
    for table, data in (("bench_due", due), ("bench_lead", leads), ("bench_head", heads),
                        ("bench_holder", holders), ("bench_role", roles), ("bench_rung", rungs)):
        with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
    cursor.execute("ANALYZE bench_due; ANALYZE bench_lead; ANALYZE bench_head; ANALYZE bench_rung;")


def batch_generate(*, first: int, last: int, pool: dict, today: date, password: str) -> tuple[int, int]:
    """Communes first..last (numbers, inclusive) in one transaction; returns their occurrences' id range."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    # The last sweep ran yesterday at 07:00 in Viet Nam (midnight UTC).
    yesterday_at = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=dt_timezone.utc)
    with transaction.atomic(), connection.cursor() as cursor:
        # Consistent by construction: foreign keys are not re-checked row by row during the load.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")  # compiling the big INSERT costs more than it saves
        ids = Ids(cursor)
        rows = Rows({})
        leads, heads, holders, roles, once_keys, specials = [], [], [], [], set(), {}
        for n in range(first, last + 1):
            commune_build(n=n, ids=ids, rows=rows, pool=pool, today=today, password=password, now=now, leads=leads,
                          heads=heads, holders=holders, roles=roles, once_keys=once_keys, specials=specials)
        step = _Steps()
        rows.copy(cursor)
        ids.sequences_move(cursor)
        step("dimensions")
        commune_ids = sorted({lead[2] for lead in leads})
        rungs = rungs_reached(commune_ids=commune_ids, specials=specials, yesterday=today - timedelta(days=1))
        temp_tables(cursor, due=due_table(today=today, once_keys=once_keys), leads=leads, heads=heads,
                    holders=holders, roles=roles, rungs=rungs)
        cursor.execute("SELECT coalesce(max(id), 0) FROM sauro_workflow_occurrence")
        lo = cursor.fetchone()[0] + 1
        step("temp tables")
        cursor.execute(OCCURRENCES_SQL, {"today": today, "now": now})
        step("occurrences")
        cursor.execute("SELECT coalesce(max(id), 0) FROM sauro_workflow_occurrence")
        hi = cursor.fetchone()[0]
        params = {"lo": lo, "hi": hi, "now": now, "yesterday": yesterday_at}
        cursor.execute(CONTRIBUTIONS_SQL, params)
        cursor.execute(EXTENSIONS_SQL, params)
        step("contributions")
        cursor.execute(NOTIFICATIONS_SQL, params)
        step("notifications")
        ranges = state_get("batches", {})
        ranges[str(first)] = {"first": first, "last": last, "lo": lo, "hi": hi, "communes": commune_ids}
        state_set("batches", ranges)
        state_set("communes_done", last)
    return lo, hi


class _Steps:
    """With BENCH_VERBOSE=1, how long each step of a batch took."""

    def __init__(self):
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if os.environ.get("BENCH_VERBOSE"):
            log(f"  {name}: {now - self.last:.1f} s")
        self.last = now


# Audit events: valid chains, hashed by two processes


OCC_COLUMNS = ("id", "commune_id", "task_id", "unit_id", "plan_id", "period_key", "status", "due_on", "created_at",
               "accepted_at", "submitted_at", "finished_at", "finished_on_time", "assignee_id", "return_count",
               "extension_count", "directing_post_id")


def _audit_commune(args) -> int:
    """Write one commune's chain: its plan's import and activation, then its recent occurrences' events."""
    import psycopg

    from audit.chain import GENESIS, at_text, event_hash

    url, commune_id, plan_id, occurrences, people, units, head_posts, today_iso, budget = args
    today = date.fromisoformat(today_iso)
    rng = random.Random(commune_id)
    events = []

    def add(at: datetime, kind: str, object_type: str, object_id, *, actor=None, post=None, unit=None, occ=None,
            before=None, after=None, detail=None, reason=""):
        events.append({
            "at": at, "kind": kind, "object_type": object_type, "object_id": str(object_id or ""),
            "commune_id": commune_id, "actor_id": actor, "actor_name": people.get(actor, "") if actor else "",
            "post_id": post[0] if post else None, "post_title": post[1] if post else "",
            "unit_id": unit, "unit_name": units.get(unit, "") if unit else "",
            "ip": f"10.{commune_id % 250}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" if actor else None,
            "plan_id": plan_id if (occ or object_type == "plan") else None,
            "task_id": occ["task_id"] if occ else None, "occurrence_id": occ["id"] if occ else None,
            "case_id": None, "period_key": occ["period_key"] if occ else "",
            "before": before or {}, "after": after or {}, "detail": detail or {}, "reason": reason,
        })

    start = datetime.combine(history_start(today), datetime.min.time(), tzinfo=dt_timezone.utc) + timedelta(hours=2)
    add(start, "imported", "plan", plan_id, detail={"tasks": 50, "indicators": INDICATORS_PER_PLAN, "groups": 7})
    add(start + timedelta(hours=1), "activated", "plan", plan_id, before={"status": "draft"},
        after={"status": "active"})
    micro = timedelta(microseconds=1)
    for occ in occurrences:
        if len(events) >= budget:
            break
        head = head_posts.get(occ["unit_id"])
        unit = occ["unit_id"]
        due = occ["due_on"].isoformat()
        add(occ["created_at"], "created", "occurrence", occ["id"], unit=unit, occ=occ,
            after={"status": "assigned", "due_on": due}, detail={"due_on": due})
        if occ["accepted_at"] is not None:
            assignee = occ["assignee_id"]
            add(occ["accepted_at"] + rng.randint(1, 10**6) * micro, "accepted", "occurrence", occ["id"],
                actor=head[2] if head else None, post=head, unit=unit, occ=occ,
                before={"status": "assigned", "assignee": None}, after={"status": "in_progress", "assignee": assignee},
                detail={"assignee": people.get(assignee, ""), "assignee_id": assignee})
        if occ["extension_count"]:
            add(occ["created_at"] + timedelta(days=12), "extension_approved", "occurrence", occ["id"], unit=unit,
                occ=occ, before={"due_on": due}, after={"due_on": due}, reason="Chờ số liệu của đơn vị phối hợp.")
        if occ["submitted_at"] is not None:
            for version in range(1, occ["return_count"] + 2):
                at = occ["submitted_at"] - timedelta(days=2 * (occ["return_count"] + 1 - version))
                add(at, "submitted", "occurrence", occ["id"], actor=occ["assignee_id"], unit=unit, occ=occ,
                    before={"status": "in_progress" if version == 1 else "returned"}, after={"status": "submitted"},
                    detail={"version": version, "number_symbol": f"{rng.randint(1, 400)}/BC-UBND",
                            "files": [{"name": "bao_cao.pdf", "sha256": hashlib.sha256(
                                f"{occ['id']}/{version}".encode()).hexdigest()}]})
                if version <= occ["return_count"]:
                    add(at + timedelta(hours=20), "returned", "occurrence", occ["id"], actor=head[2] if head else None,
                        post=head, unit=unit, occ=occ, before={"status": "submitted", "return_count": version - 1},
                        after={"status": "returned", "return_count": version},
                        detail={"level": "unit_head", "version": version}, reason="Bổ sung số liệu minh chứng.")
        if occ["status"] == "done" and occ["finished_at"] is not None:
            add(occ["finished_at"] - timedelta(minutes=5), "approved", "occurrence", occ["id"],
                actor=head[2] if head else None, post=head, unit=unit, occ=occ,
                before={"status": "submitted", "return_count": occ["return_count"]},
                after={"status": "done", "return_count": occ["return_count"]},
                detail={"level": "unit_head", "version": occ["return_count"] + 1})
            add(occ["finished_at"], "done", "occurrence", occ["id"], actor=head[2] if head else None, post=head,
                unit=unit, occ=occ, after={"status": "done", "finished_on": occ["finished_at"].date().isoformat()},
                detail={"on_time": occ["finished_on_time"], "went_on_without": []})
        if occ["status"] in ("assigned", "in_progress", "submitted", "returned", "awaiting_directing"):
            for rung, offset, days in (("overdue_3", 3, 4), ("overdue_10", 10, 14)):
                at_day = occ["due_on"] + timedelta(days=days)
                if at_day < today:
                    add(datetime.combine(at_day, datetime.min.time(), tzinfo=dt_timezone.utc), "escalated",
                        "occurrence", occ["id"], unit=unit, occ=occ,
                        detail={"rung": rung, "offset": offset, "to": ["directing", "party_office"] if offset == 3
                                else ["inspection"], "due_on": due})
    events.sort(key=lambda event: event["at"])
    prev = GENESIS
    lines = []
    for seq, event in enumerate(events, 1):
        event["at"] = at_text(event["at"])
        event.update(chain=commune_id, seq=seq, prev_hash=prev)
        event["hash"] = prev = event_hash(event)
        lines.append(event)
    import orjson

    columns = ("chain", "seq", "at", "kind", "object_type", "object_id", "commune_id", "actor_id", "actor_name",
               "post_id", "post_title", "unit_id", "unit_name", "ip", "plan_id", "task_id", "occurrence_id", "case_id",
               "period_key", "before", "after", "detail", "reason", "prev_hash", "hash")
    with psycopg.connect(url) as conn:
        conn.execute("SET synchronous_commit = off")
        with conn.cursor() as cursor:
            if cursor.execute("SELECT 1 FROM audit_auditchain WHERE chain = %s", [commune_id]).fetchone():
                return 0
            with cursor.copy(f"COPY audit_auditevent ({', '.join(columns)}) FROM STDIN") as copy:
                for event in lines:
                    copy.write_row([orjson.dumps(event[c]).decode() if c in ("before", "after", "detail") else event[c]
                                    for c in columns])
            cursor.execute("INSERT INTO audit_auditchain (chain, seq, head_hash, updated_at) VALUES (%s, %s, %s, now())",
                           [commune_id, len(lines), prev])
    return len(lines)


def audit_generate(*, batch: dict, today: date, url: str, workers: int) -> int:
    from multiprocessing import get_context

    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("SELECT chain FROM audit_auditchain WHERE chain = ANY(%s)", [batch["communes"]])
        done = {row[0] for row in cursor.fetchall()}
        todo = [c for c in batch["communes"] if c not in done]
        if not todo:
            return 0
        cursor.execute(f"""
            SELECT {', '.join(OCC_COLUMNS)} FROM sauro_workflow_occurrence
            WHERE id BETWEEN %s AND %s AND due_on >= %s AND commune_id = ANY(%s)
        """, [batch["lo"], batch["hi"], today - timedelta(days=4 * 365), todo])
        by_commune: dict[int, list[dict]] = {}
        for row in cursor.fetchall():
            occ = dict(zip(OCC_COLUMNS, row))
            by_commune.setdefault(occ["commune_id"], []).append(occ)
        cursor.execute("SELECT id, full_name FROM roles_user WHERE commune_id = ANY(%s)", [todo])
        people = dict(cursor.fetchall())
        cursor.execute("SELECT id, name, commune_id FROM roles_unit WHERE commune_id = ANY(%s)", [todo])
        units = {pk: name for pk, name, _ in cursor.fetchall()}
        cursor.execute("""SELECT p.unit_id, p.id, p.title, h.person_id FROM roles_post p
                          JOIN roles_postholding h ON h.post_id = p.id AND h.ended_on IS NULL
                          WHERE p.commune_id = ANY(%s) AND p.is_unit_head""", [todo])
        head_posts = {unit: (pk, title, person) for unit, pk, title, person in cursor.fetchall()}
        cursor.execute("SELECT commune_id, id FROM tasks_plan WHERE commune_id = ANY(%s)", [todo])
        plans = dict(cursor.fetchall())
    jobs = []
    for commune_id in todo:
        occurrences = sorted(by_commune.get(commune_id, []), key=lambda o: (o["due_on"], o["id"]), reverse=True)
        jobs.append((url, commune_id, plans[commune_id], occurrences, people, units, head_posts, today.isoformat(),
                     AUDIT_EVENTS_PER_COMMUNE))
    connections.close_all()  # the workers are forked: they must not share this connection
    with get_context("fork").Pool(workers) as pool:
        return sum(pool.imap_unordered(_audit_commune, jobs, chunksize=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--communes", type=int, help="this many communes instead of the scale's")
    parser.add_argument("--fresh", action="store_true", help="drop the bench database and start again")
    parser.add_argument("--workers", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_ensure(url)
    if args.fresh:
        log("dropping and recreating the bench database")
        database_recreate(url)
    else:
        log("migrating")
        migrate()  # new migrations apply to data already generated, as they would in production
    django_setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    target = args.communes or SCALES[args.scale]
    done = state_get("communes_done", 0)
    if state_get("complete") and done >= target:
        log(f"{done} communes already generated (scale {state_get('scale')}); nothing to do (--fresh to start again)")
        return
    today = today_get()
    pool = state_get("pool")
    if pool is None:
        log("reading the sample appendices")
        pool = pool_get()
        state_set("pool", pool)
    password = state_get("password") or make_password(PASSWORD)
    state_set("password", password)
    state_set("complete", False)
    indexes_drop()
    started = time.perf_counter()
    first_done = done
    for first in range(done + 1, target + 1, BATCH):
        last = min(first + BATCH - 1, target)
        t0 = time.perf_counter()
        lo, hi = batch_generate(first=first, last=last, pool=pool, today=today, password=password)
        elapsed = time.perf_counter() - started
        rate = (last - first_done) / elapsed
        log(f"communes {first}-{last}: {hi - lo + 1:,} occurrences in {time.perf_counter() - t0:.1f} s; "
            f"ETA {(target - last) / rate / 60:.1f} min")
    batches = sorted(state_get("batches", {}).values(), key=lambda b: b["first"])
    total = 0
    started = time.perf_counter()
    for batch in batches:
        if batch["first"] > target:
            continue
        t0 = time.perf_counter()
        written = audit_generate(batch=batch, today=today, url=url, workers=args.workers)
        total += written
        if written:
            log(f"audit events for communes {batch['first']}-{batch['last']}: {written:,} in "
                f"{time.perf_counter() - t0:.1f} s ({total:,} so far)")
    connection.close()
    log("rebuilding indexes")
    indexes_restore()
    log("vacuum and analyze")
    with connection.cursor() as cursor:
        # Every table the load touched: a table left with the statistics of its empty self gets plans
        # made for a few rows (a sequential scan of half a million indicator targets, for one).
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_mod_since_analyze > 0 OR last_analyze IS NULL")
        for (table,) in cursor.fetchall():
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    scale = next((name for name, count in SCALES.items() if count == target), f"{target} communes")
    state_set("scale", scale)
    state_set("complete", True)
    log(f"done: {scale}")


def pool_get() -> dict:
    from bench.shapes import pool_read

    return pool_read()


if __name__ == "__main__":
    main()
