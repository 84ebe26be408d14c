"""Issue 8: every URL of the project, for every role and for anonymous visitors.

The URLs are walked from the URL configuration itself (django.urls.get_resolver()), so a page added
tomorrow is requested here without anyone listing it. Each pattern is filled with real ids of one
world (a commune with an active plan, occurrences, an output with its file, an extension, a
contribution, an inspection case with an explanation, notifications, a calendar override, a pending
upload…) through KWARGS below, a small explicit table. A pattern with a keyword the table cannot fill
FAILS this test, naming the pattern: extend the table, do not skip the page.

What is asserted:
- nobody ever gets a 500;
- anonymous visitors are sent to a login page or get 401/403, except on ANONYMOUS_ALLOWED; a page
  that only answers POST is POSTed to as well, with the same expectation;
- people from outside the commune (another commune's Party Office, a person with no role) get
  403 or 404 on every URL that carries one of this commune's objects, GET and POST alike, and
  their POSTs change nothing;
- EXPECTED: the known answers for the pages whose audience is settled.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

from audit.models import AuditEvent
from tasks.models import Plan

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ANONYMOUS = "anonymous"
ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role"]
OUTSIDERS = ("other_commune", "no_role")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# The world ------------------------------------------------------------------------------------


@dataclass
class World:
    commune: object
    plan: object
    task: object
    occurrence: object  # task 7 of Thanh Miện: accepted, output submitted with a file, extension asked
    stored_file: object
    extension: object
    contribution: object
    case: object
    explanation: object
    notification: object
    override: object
    upload: object
    unit: object
    person: object


@pytest.fixture
def world(thanh_mien, thanh_mien_plan, people) -> World:
    from inspection.models import InspectionCase
    from inspection.services import explanation_request, inspection_case_open
    from notifications.models import Notification
    from roles.models import Unit
    from tasks.models import PlanUpload
    from workflow.escalation import escalations_run
    from workflow.models import Occurrence
    from workflow.services import (
        OutputDocument, calendar_override_set, extension_request, occurrence_accept, output_submit, plan_activate,
    )

    task = thanh_mien_plan.tasks.get(number="7")
    task.supporting_units.add(Unit.objects.get(commune=thanh_mien, name="Phòng Kinh tế"))
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    occurrence = Occurrence.objects.get(plan=thanh_mien_plan, task=task)
    with time_machine.travel(date(2025, 9, 15), tick=False):
        occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        output = output_submit(occurrence=occurrence, actor=people["staff"], files=[("kh.pdf", PDF)],
                               document=OutputDocument(kind="plan", number_symbol="1/KH", signer="A",
                                                       document_date=date(2025, 9, 14)))
        extension = extension_request(occurrence=occurrence, actor=people["staff"],
                                      requested_due_on=date(2025, 10, 30), reason="Chờ số liệu")
    sweep_at = datetime(2025, 10, 14, 7, 0, tzinfo=VN)  # ten working days after the September deadlines
    with time_machine.travel(sweep_at, tick=False):
        escalations_run(now=sweep_at)
        assert InspectionCase.objects.filter(commune=thanh_mien).exists(), "the sweep opened no inspection case"
        # The case of task 7 itself, so that who sees it is known (tests/test_inspection.py SEES_CASE).
        case, _created = inspection_case_open(occurrence=occurrence, reason="overdue_10")
        assert Notification.objects.filter(commune=thanh_mien).exists(), "the sweep notified nobody"
        explanation = explanation_request(case=case, actor=people["inspection"], question="Vì sao chậm?",
                                          due_on=date(2025, 10, 24))
    override = calendar_override_set(commune=thanh_mien, actor=people["admin"], day=date(2026, 1, 3),
                                      is_working_day=True, reason="Làm bù")
    upload = PlanUpload.objects.create(commune=thanh_mien, uploaded_by=people["party_office"], filename="k.docx",
                                       data=b"not read by the walker", create_missing=False)
    return World(
        commune=thanh_mien, plan=thanh_mien_plan, task=task, occurrence=occurrence, stored_file=output.files.get(),
        extension=extension, contribution=occurrence.contributions.get(), case=case, explanation=explanation,
        notification=Notification.objects.filter(commune=thanh_mien).order_by("pk").first(),
        override=override, upload=upload, unit=occurrence.unit, person=people["staff"],
    )


# What fills each keyword ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    value: object  # callable(world, entry) -> the value
    owned: bool = True  # the value is one of this commune's objects: outsiders must get 403/404


def _admin_object_id(world: World, entry: Entry) -> str:
    """The admin's <object_id>: a real row of the model whose admin the URL belongs to."""
    for model in admin.site._registry:
        if f"{model._meta.app_label}/{model._meta.model_name}/" in entry.route:
            row = model._default_manager.order_by("pk").first()
            return str(row.pk) if row is not None else "1"
    raise LookupError(f"no admin model for {entry.route}")


def _report_id(world: World, entry: Entry) -> int:
    """The plan's September report, prepared the first time a URL asks for one (as the scheduler would)."""
    if getattr(world, "report", None) is None:
        from reports.periods import period_of
        from reports.services import report_prepare

        world.report, _created = report_prepare(plan=world.plan, period=period_of(kind="month", key="2025-09"),
                                                actor=None)
    return world.report.pk


def _figure(world: World, entry: Entry):
    """Indicator 1's figure for quarter III/2025, submitted by Phòng VHXH with a PDF as evidence."""
    if getattr(world, "figure", None) is None:
        from decimal import Decimal

        from indicators.models import IndicatorFigure
        from indicators.services import FigureReport, figure_due_generate, figure_submit

        figure_due_generate(today=date(2025, 9, 10))
        figure = IndicatorFigure.objects.get(indicator__plan=world.plan, indicator__number="1", period_key="2025-Q3")
        with time_machine.travel(date(2025, 10, 2), tick=False):
            figure_submit(figure=figure, actor=world.person, report=FigureReport(value=Decimal("61")),
                          files=[("so-lieu.pdf", PDF)])
        world.figure = figure
    return world.figure


def _calendar_token(world: World, entry: Entry) -> str:
    """The staff member's secret calendar link."""
    if getattr(world, "feed", None) is None:
        from api.services import calendar_feed_regenerate

        world.feed = calendar_feed_regenerate(person=world.person)
    return world.feed.token


# Keyword → value. A keyword named after the object it carries; one that means different objects
# on different pages goes under (url name, keyword).
KWARGS: dict[str | tuple[str, str], Fill] = {
    "slug": Fill(lambda w, e: w.commune.slug),
    "plan_id": Fill(lambda w, e: w.plan.pk),
    "task_id": Fill(lambda w, e: w.task.pk),
    "occurrence_id": Fill(lambda w, e: w.occurrence.pk),
    "extension_id": Fill(lambda w, e: w.extension.pk),
    "contribution_id": Fill(lambda w, e: w.contribution.pk),
    "file_id": Fill(lambda w, e: w.stored_file.pk),
    "unit_id": Fill(lambda w, e: w.unit.pk),
    "case_id": Fill(lambda w, e: w.case.pk),
    "explanation_id": Fill(lambda w, e: w.explanation.pk),
    "notification_id": Fill(lambda w, e: w.notification.pk),
    "override_id": Fill(lambda w, e: w.override.pk),
    "upload_id": Fill(lambda w, e: w.upload.pk),
    "report_id": Fill(_report_id),
    "post_id": Fill(lambda w, e: w.occurrence.directing_post_id),
    "file_format": Fill(lambda w, e: "docx", owned=False),
    "indicator_id": Fill(lambda w, e: _figure(w, e).indicator_id),
    "figure_id": Fill(lambda w, e: _figure(w, e).pk),
    ("figure_file", "file_id"): Fill(lambda w, e: _figure(w, e).evidence.get().file_id),
    ("api_plan", "id"): Fill(lambda w, e: w.plan.pk),
    ("api_plan_tasks", "id"): Fill(lambda w, e: w.plan.pk),
    ("api_plan_indicators", "id"): Fill(lambda w, e: w.plan.pk),
    ("api_indicator_figures", "id"): Fill(lambda w, e: _figure(w, e).indicator_id),
    ("api_task", "id"): Fill(lambda w, e: w.task.pk),
    ("api_occurrence", "id"): Fill(lambda w, e: w.occurrence.pk),
    # A secret link stands for its person wherever it is opened: it carries no commune's object.
    "token": Fill(_calendar_token, owned=False),
    "pk": Fill(_admin_object_id, owned=False),  # the admin's own views of two-factor devices
    ("audit_occurrence_timeline", "subject_id"): Fill(lambda w, e: w.occurrence.pk),
    ("audit_task_timeline", "subject_id"): Fill(lambda w, e: w.task.pk),
    ("audit_person_timeline", "subject_id"): Fill(lambda w, e: w.person.pk),
    ("audit_unit_timeline", "subject_id"): Fill(lambda w, e: w.unit.pk),
    # Django's admin: every object is behind the staff login, whoever owns it.
    "object_id": Fill(_admin_object_id, owned=False),
    "content_type_id": Fill(lambda w, e: ContentType.objects.get_for_model(Plan).pk, owned=False),
    ("view_on_site", "object_id"): Fill(lambda w, e: w.plan.pk, owned=False),
    "app_label": Fill(lambda w, e: "auth", owned=False),
    "url": Fill(lambda w, e: "no-such-page/", owned=False),  # the admin's catch-all
    "format": Fill(lambda w, e: "json", owned=False),  # REST format suffixes
}

# Pages anyone may open without logging in.
ANONYMOUS_ALLOWED = {
    "login", "healthz", "set_language", "admin:login",
    "admin:logout",  # sends a visitor who is not signed in to the admin's index, which asks for the login
    "calendar_feed",  # the secret link is the credential
    "api_schema",  # the API's description, no data
}

# Known answers: url name → {role: status}; a role left out is not asserted here (only "no 500").
# Django's admin is for staff accounts, which no role of the commune is: everyone is sent to its login.
ADMIN_LOGIN = "admin-login"
_EVERYONE = set(ROLES)
_MANAGERS = {"party_office", "admin"}
# Task 7: led by Phòng VHXH, directed by the VHXH deputy chair, supported (in this world) by Phòng Kinh tế.
_SEES_TASK_7 = {"party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin"}
_SEES_CASE = {"inspection", "unit_head", "staff", "party_office", "directing"}


def _answers(allowed: set[str], *, yes: int = 200, no: int = 403) -> dict[str, int]:
    return {role: yes if role in allowed else no for role in ROLES}


EXPECTED: dict[str, dict[str, int | str]] = {
    "admin:index": {role: ADMIN_LOGIN for role in ROLES},
    "admin:auth_group_changelist": {role: ADMIN_LOGIN for role in ROLES},
    "plan_upload": _answers(_MANAGERS | {"other_commune"}),  # Trường Giang's Party Office imports its own plans
    "plan_upload_preview": {**_answers(set()), "party_office": 422},  # its own upload; the file is no plan
    "plan_activate": {role: 405 for role in ROLES},  # a POST action; who may POST: test_workflow_pages
    "commune_rules": _answers({"admin"}),  # the commune's administrator edits its escalation rules
    "commune_policy_edit": {role: 405 for role in ROLES},  # the form's POST target
    "board": _answers({"party_office", "admin", "inspection"}),
    # The list: inspectors and Party Offices always (each its own commune's), others once a case concerns them.
    "cases": {"inspection": 200, "party_office": 200, "other_commune": 200, "no_role": 403},
    "case_detail": _answers(_SEES_CASE),
    "audit_workspace": _answers({"inspection", "admin"}),  # the whole history is the inspectors' tool
    "occurrence_detail": _answers(_SEES_TASK_7),
    "file_download": _answers(_SEES_TASK_7),
    "unit_queue": _answers({"party_office", "unit_head", "staff", "inspection", "front", "admin"}),
    "my_work": _answers(_EVERYONE),
    "notifications": _answers(_EVERYONE),
}


# Walking the URL configuration ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    name: str  # "namespace:name", or the route when the pattern has no name
    route: str
    levels: tuple  # the pattern objects from the root to the leaf
    default_kwargs: dict


def _entries(resolver: URLResolver, levels=(), namespaces=()) -> list[Entry]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += _entries(pattern, (*levels, pattern.pattern),
                              (*namespaces, pattern.namespace) if pattern.namespace else namespaces)
        elif isinstance(pattern, URLPattern):
            chain = (*levels, pattern.pattern)
            route = "".join(str(level) for level in chain)
            name = ":".join((*namespaces, pattern.name)) if pattern.name else route
            found.append(Entry(name=name, route=route, levels=chain, default_kwargs=dict(pattern.default_args)))
    return found


class Unfillable(Exception):
    pass


def _fill(*, world: World, entry: Entry, keyword: str) -> tuple[object, bool]:
    short_name = entry.name.split(":")[-1]
    fill = KWARGS.get((short_name, keyword)) or KWARGS.get(keyword)
    if fill is None:
        raise Unfillable(f"{entry.name} ({entry.route}): no value for <{keyword}>; add it to KWARGS")
    return fill.value(world, entry), fill.owned


def _url_build(*, world: World, entry: Entry) -> tuple[str, bool]:
    """The URL of one pattern with real ids, and whether it carries this commune's objects."""
    path, owned = "/", False
    for level in entry.levels:
        regex = level.regex.pattern
        form, keywords = normalize(regex)[0]
        converters = level.converters if isinstance(level, RoutePattern) else {}
        values = {}
        for keyword in keywords:
            value, keyword_owned = _fill(world=world, entry=entry, keyword=keyword)
            owned = owned or keyword_owned
            values[keyword] = converters[keyword].to_url(value) if keyword in converters else str(value)
        path += form % values
    match = resolve(path)  # the URL built must reach the very pattern it was built from
    bare = str.maketrans("", "", "^$")
    assert match.route.translate(bare) == entry.route.translate(bare), (path, match.route, entry.route)
    return path, owned


# The requests -----------------------------------------------------------------------------------


LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0].endswith(LOGIN_PATHS)


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return ADMIN_LOGIN
    return response.status_code


def test_every_url_answers_every_role_as_it_should(world, people, client, login):
    entries = _entries(get_resolver())
    urls, unfillable = [], []
    for entry in entries:
        try:
            urls.append((entry, *_url_build(world=world, entry=entry)))
        except Unfillable as missing:
            unfillable.append(str(missing))
    assert not unfillable, "URL patterns the walker cannot fill:\n" + "\n".join(unfillable)
    missing_expectations = set(EXPECTED) - {entry.name for entry in entries}
    assert not missing_expectations, f"EXPECTED names pages that no longer exist: {missing_expectations}"

    failures: list[str] = []
    client.raise_request_exception = False  # a 500 is reported with the others, not raised at the first

    def check(role: str, entry: Entry, path: str, owned: bool) -> None:
        response = client.get(path)
        status = _status(response)
        where = f"{role:14} GET  {path}  ({entry.name})"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
            return
        if role == ANONYMOUS:
            _anonymous_check(client=client, entry=entry, path=path, response=response, where=where,
                             failures=failures)
            return
        expected = EXPECTED.get(entry.name, {}).get(role)
        if expected is not None and status != expected:
            failures.append(f"{where}: {status}, expected {expected}")
        if role in OUTSIDERS and owned:
            _outsider_check(client=client, path=path, response=response, where=where, failures=failures)

    client.logout()
    changed: dict[str, list] = {}
    for role in (ANONYMOUS, *ROLES):
        if role != ANONYMOUS:
            login(people[role])
        before = AuditEvent.objects.count()  # after the sign-in, which is recorded
        for entry, path, owned in urls:
            check(role, entry, path, owned)
        if role in (ANONYMOUS, *OUTSIDERS):  # (insiders' downloads are recorded reads)
            changed[role] = list(AuditEvent.objects.order_by("pk").values_list("kind", "object_type")[before:])
    assert not failures, f"{len(failures)} answers out of line:\n" + "\n".join(failures)
    assert changed == {role: [] for role in changed}, "an anonymous or outside request recorded a change"


def _anonymous_check(*, client, entry: Entry, path: str, response, where: str, failures: list[str]) -> None:
    if entry.name in ANONYMOUS_ALLOWED:
        return
    if response.status_code == 405:  # a POST-only page: it must refuse an anonymous POST too
        response = client.post(path, {})
        where = where.replace(" GET  ", " POST ")
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
            return
    if not (_is_login_redirect(response) or response.status_code in (401, 403)):
        failures.append(f"{where}: {response.status_code} {response.get('Location', '')}, expected a login "
                        "redirect, 401 or 403")


def _outsider_check(*, client, path: str, response, where: str, failures: list[str]) -> None:
    if response.status_code == 405:
        response = client.post(path, {})
        where = where.replace(" GET  ", " POST ")
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
            return
    if response.status_code not in (403, 404):
        failures.append(f"{where}: {response.status_code}, expected 403 or 404 on another commune's object")
