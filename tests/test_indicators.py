"""Indicator figures: owed per period, submitted with evidence, approved or returned, audited, judged."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from audit.verify import audit_verify
from indicators.models import Cadence, FigureStatus, IndicatorFigure
from indicators.selectors import indicator_progress_list, indicator_status_counts
from indicators.services import FigureReport, figure_due_generate, figure_review, figure_submit, indicator_schedule_set
from tasks.models import Indicator
from workflow.models import StoredFile
from workflow.services import plan_activate

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EVIDENCE = [("bao-cao-so-lieu.pdf", PDF)]


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; the pages' tests read them in Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def active_plan(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return thanh_mien_plan


def _indicator(plan, number: str) -> Indicator:
    return Indicator.objects.get(plan=plan, number=number)


def _figure(plan, number: str, period: str) -> IndicatorFigure:
    return IndicatorFigure.objects.get(indicator=_indicator(plan, number), period_key=period)


def _approve(figure, people, value) -> IndicatorFigure:
    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(value)), files=EVIDENCE)
    return figure_review(figure=figure, actor=people["unit_head"], approve=True)


def test_figures_are_owed_per_quarter_due_five_working_days_after_it_and_only_once(active_plan):
    created = figure_due_generate(today=date(2025, 9, 10))
    assert created > 0
    assert figure_due_generate(today=date(2025, 9, 10)) == 0
    q3 = _figure(active_plan, "1", "2025-Q3")
    assert (q3.period_start, q3.period_end, q3.due_on) == (date(2025, 7, 1), date(2025, 9, 30), date(2025, 10, 7))
    assert q3.unit.name == "Phòng Văn hóa - Xã hội" and q3.status == FigureStatus.DRAFT
    events = AuditEvent.objects.filter(object_type="figure", kind="figure_created")
    assert events.count() == created == IndicatorFigure.objects.count()
    # Q2 ended on 30/06 and was due on 07/07: past its window when the plan became active, so not owed.
    assert not IndicatorFigure.objects.filter(period_key="2025-Q2").exists()


def test_a_year_end_figure_is_due_after_new_year_counted_in_working_days():
    from indicators.periods import period_containing
    from indicators.services import figure_due_on
    from workflow.calendar import calendar_build

    q4 = period_containing(cadence="quarterly", day=date(2025, 11, 5))
    # 01/01/2026 is a holiday: the fifth working day after 31/12/2025 is Thursday 08/01/2026.
    assert figure_due_on(period=q4, due_working_days=5, calendar=calendar_build()) == date(2026, 1, 8)


def test_nothing_is_owed_by_a_draft_plan_or_by_an_indicator_whose_targets_are_over(thanh_mien_plan, active_plan):
    figure_due_generate(today=date(2026, 2, 2))
    # Indicator 12 sets only a 2025 target ("≥80%", then "-"): nothing is owed in 2026.
    assert not IndicatorFigure.objects.filter(indicator=_indicator(active_plan, "12"), period_key="2026-Q1").exists()
    assert IndicatorFigure.objects.filter(indicator=_indicator(active_plan, "1"), period_key="2026-Q1").exists()


def test_a_draft_plan_owes_nothing(thanh_mien_plan):
    assert figure_due_generate(today=date(2025, 9, 10)) == 0


def test_submit_return_resubmit_approve_is_audited_in_the_commune_chain(active_plan, people):
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "1", "2025-Q3")
    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal("58,5".replace(",", "."))),
                  files=EVIDENCE)
    figure_review(figure=figure, actor=people["unit_head"], approve=False, reason="Thiếu xác nhận của nhà mạng")
    figure.refresh_from_db()
    assert (figure.status, figure.return_count, figure.return_reason) == (
        FigureStatus.RETURNED, 1, "Thiếu xác nhận của nhà mạng")
    # The evidence already attached still counts: a resubmission need not upload it again.
    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal("61")), files=[])
    figure_review(figure=figure, actor=people["unit_head"], approve=True)
    figure.refresh_from_db()
    assert (figure.status, figure.value, figure.version, figure.reviewed_by) == (
        FigureStatus.APPROVED, Decimal("61"), 2, people["unit_head"])
    kinds = list(AuditEvent.objects.filter(object_type="figure", object_id=str(figure.pk))
                 .order_by("seq").values_list("kind", flat=True))
    assert kinds == ["figure_created", "submitted", "returned", "submitted", "approved"]
    returned = AuditEvent.objects.get(object_type="figure", object_id=str(figure.pk), kind="returned")
    assert returned.reason == "Thiếu xác nhận của nhà mạng" and returned.actor == people["unit_head"]
    assert returned.post_title == "Trưởng phòng Văn hóa - Xã hội"
    submitted = AuditEvent.objects.filter(object_type="figure", object_id=str(figure.pk), kind="submitted").first()
    assert submitted.after["value"] == "58.5" and submitted.detail["files"][0]["name"] == "bao-cao-so-lieu.pdf"
    assert audit_verify(commune_slug=active_plan.commune.slug) > 0


@pytest.mark.parametrize("role", ["supporting", "directing", "party_office", "inspection", "other_commune"])
def test_only_members_of_the_reporting_unit_submit(active_plan, people, role):
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "1", "2025-Q3")
    with pytest.raises(PermissionDenied):
        figure_submit(figure=figure, actor=people[role], report=FigureReport(value=Decimal(1)), files=EVIDENCE)
    assert IndicatorFigure.objects.get(pk=figure.pk).status == FigureStatus.DRAFT


def test_only_the_unit_head_reviews(active_plan, people):
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "1", "2025-Q3")
    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(61)), files=EVIDENCE)
    for role in ("staff", "directing", "party_office"):
        with pytest.raises(PermissionDenied):
            figure_review(figure=figure, actor=people[role], approve=True)
    assert IndicatorFigure.objects.get(pk=figure.pk).status == FigureStatus.SUBMITTED


def test_another_units_indicator_is_reported_by_that_unit(active_plan, people):
    """Indicator 4 is monitored by Phòng Kinh tế: its staff member submits, Phòng VHXH's does not."""
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "4", "2025-Q3")
    with pytest.raises(PermissionDenied):
        figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(2)), files=EVIDENCE)
    figure_submit(figure=figure, actor=people["supporting"], report=FigureReport(value=Decimal(2)), files=EVIDENCE)
    with pytest.raises(PermissionDenied):
        figure_review(figure=figure, actor=people["unit_head"], approve=True)


@pytest.mark.parametrize("report, files, message", [
    (FigureReport(), EVIDENCE, "Enter the figure"),
    (FigureReport(value=Decimal(61)), [], "Attach the evidence"),
    (FigureReport(value=Decimal(61)), [("notes.exe", b"MZ\x90\x00binary")], "notes.exe"),
    (FigureReport(value=Decimal("1e13")), EVIDENCE, "too large"),
])
def test_bad_input_is_refused_and_changes_nothing(active_plan, people, report, files, message):
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "1", "2025-Q3")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        figure_submit(figure=figure, actor=people["staff"], report=report, files=files)
    figure.refresh_from_db()
    assert (figure.status, figure.version, figure.value) == (FigureStatus.DRAFT, 0, None)
    assert AuditEvent.objects.count() == events and not StoredFile.objects.exists()


def test_a_return_needs_its_reason_and_an_approved_figure_is_closed(active_plan, people):
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "1", "2025-Q3")
    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(61)), files=EVIDENCE)
    with pytest.raises(ValidationError, match="Say why"):
        figure_review(figure=figure, actor=people["unit_head"], approve=False, reason="  ")
    figure_review(figure=figure, actor=people["unit_head"], approve=True)
    with pytest.raises(ValidationError, match="not open"):
        figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(70)), files=EVIDENCE)
    with pytest.raises(ValidationError, match="not open"):
        figure_review(figure=figure, actor=people["unit_head"], approve=False, reason="again")


def test_progress_reads_only_approved_figures_against_the_next_milestone(active_plan, people):
    figure_due_generate(today=date(2025, 9, 10))
    figure_due_generate(today=date(2026, 1, 2))
    # Indicator 1: "≥60%" in 2025. 58 in Q3 is the only figure, so the path starts at it: on track.
    _approve(_figure(active_plan, "1", "2025-Q3"), people, "58")
    # Indicator 2: submitted, not approved: no data yet.
    figure_submit(figure=_figure(active_plan, "2", "2025-Q3"), actor=people["staff"],
                  report=FigureReport(value=Decimal(90)), files=EVIDENCE)
    rows = {row.indicator.number: row for row in indicator_progress_list(plan_id=active_plan.pk,
                                                                         as_of=date(2025, 10, 15))}
    assert (rows["1"].status, rows["1"].latest_value, rows["1"].next_target.text) == ("on_track", "58%", "≥60%")
    assert rows["1"].monitoring_unit_name == "Phòng Văn hóa - Xã hội" and rows["1"].status_label == "On track"
    assert rows["2"].status == "no_data" and rows["2"].latest_value == ""
    # Q4 reaches 61%: the 2025 target is met.
    _approve(_figure(active_plan, "1", "2025-Q4"), people, "61")
    rows = {row.indicator.number: row for row in indicator_progress_list(plan_id=active_plan.pk,
                                                                         as_of=date(2025, 12, 31))}
    assert rows["1"].status == "achieved"
    # In 2026 the next milestone is 2030's "100%", reached along the line from 2025's 60.
    rows = {row.indicator.number: row for row in indicator_progress_list(plan_id=active_plan.pk,
                                                                         as_of=date(2026, 1, 10))}
    assert rows["1"].next_target.year == 2030 and rows["1"].status == "on_track"
    counts = indicator_status_counts(commune_id=active_plan.commune_id, as_of=date(2026, 1, 10))
    assert counts["on_track"] == 1 and sum(counts.values()) == Indicator.objects.filter(plan=active_plan).count()
    assert set(counts) == {"achieved", "on_track", "at_risk", "off_track", "no_data", "no_target"}


def test_a_draft_plan_is_not_counted_for_the_commune(thanh_mien_plan):
    counts = indicator_status_counts(commune_id=thanh_mien_plan.commune_id, as_of=date(2026, 1, 10))
    assert sum(counts.values()) == 0


def test_the_progress_list_runs_a_fixed_number_of_queries(active_plan, people, django_assert_num_queries):
    figure_due_generate(today=date(2025, 9, 10))
    with django_assert_num_queries(6):
        indicator_progress_list(plan_id=active_plan.pk, as_of=date(2025, 10, 15))
    for number in ("1", "2", "5", "6"):
        _approve(_figure(active_plan, number, "2025-Q3"), people, "70")
    with django_assert_num_queries(6):
        rows = indicator_progress_list(plan_id=active_plan.pk, as_of=date(2025, 10, 15))
    assert sum(1 for row in rows if row.latest_value) == 4


def test_the_party_office_changes_the_schedule_and_the_next_figures_follow_it(active_plan, people):
    indicator = _indicator(active_plan, "1")
    with pytest.raises(PermissionDenied):
        indicator_schedule_set(indicator=indicator, actor=people["unit_head"], cadence=Cadence.MONTHLY,
                               due_working_days=3, reporting_unit=None)
    indicator_schedule_set(indicator=indicator, actor=people["party_office"], cadence=Cadence.MONTHLY,
                           due_working_days=3, reporting_unit=None)
    figure_due_generate(today=date(2025, 9, 10))
    september = _figure(active_plan, "1", "2025-09")
    assert september.due_on == date(2025, 10, 3)
    assert AuditEvent.objects.filter(kind="schedule_changed", object_id=str(indicator.pk)).exists()
    with pytest.raises(ValidationError):
        indicator_schedule_set(indicator=indicator, actor=people["party_office"], cadence="weekly",
                               due_working_days=3, reporting_unit=None)


def test_a_collective_indicator_is_reported_by_the_unit_the_party_office_names(active_plan, people):
    from roles.models import Unit

    indicator = _indicator(active_plan, "20")  # monitored by "all units"
    centre = Unit.objects.get(commune=active_plan.commune, name="Trung tâm Phục vụ hành chính công")
    indicator_schedule_set(indicator=indicator, actor=people["party_office"], cadence=Cadence.QUARTERLY,
                           due_working_days=5, reporting_unit=centre)
    figure_due_generate(today=date(2025, 9, 10))
    assert _figure(active_plan, "20", "2025-Q3").unit == centre


@pytest.mark.parametrize("number, needs, report", [
    ("1", "value", FigureReport(rank=3)),
])
def test_the_figure_must_carry_what_its_target_measures(active_plan, people, number, needs, report):
    from indicators.services import figure_needs

    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, number, "2025-Q3")
    assert figure_needs(figure=figure) == needs
    with pytest.raises(ValidationError):
        figure_submit(figure=figure, actor=people["staff"], report=report, files=EVIDENCE)


@pytest.mark.parametrize("kind, text, needs, good, bad", [
    ("top_rank", "Top 50", "rank", FigureReport(rank=30), FigureReport(value=Decimal(30))),
    ("done", "X", "done", FigureReport(done=False), FigureReport(value=Decimal(1))),
    ("text", "Hoàn thiện hạ tầng", "assessment", FigureReport(assessment="at_risk", note="Chậm vốn"),
     FigureReport(assessment="at_risk")),
])
def test_ranks_done_and_words_are_reported_and_judged(active_plan, people, kind, text, needs, good, bad):
    from indicators.services import figure_needs

    indicator = _indicator(active_plan, "1")
    indicator.targets.update(kind="not_applicable", text="-", low=None, high=None)
    indicator.targets.filter(year=2030).update(kind=kind, text=text, high=Decimal(50) if kind == "top_rank" else None)
    figure_due_generate(today=date(2025, 9, 10))
    figure = _figure(active_plan, "1", "2025-Q3")
    assert figure_needs(figure=figure) == needs
    with pytest.raises(ValidationError):
        figure_submit(figure=figure, actor=people["staff"], report=bad, files=EVIDENCE)
    figure_submit(figure=figure, actor=people["staff"], report=good, files=EVIDENCE)
    figure_review(figure=figure, actor=people["unit_head"], approve=True)
    row = next(r for r in indicator_progress_list(plan_id=active_plan.pk, as_of=date(2025, 10, 15))
               if r.indicator.pk == indicator.pk)
    assert row.status == {"top_rank": "achieved", "done": "on_track", "text": "at_risk"}[kind]
    assert row.next_target.year == 2030


def test_the_demo_figures_load_once_show_several_statuses_and_the_demo_still_resets(active_plan):
    from indicators.demo import demo_figures_load
    from tasks.demo import demo_reset

    commune = active_plan.commune
    loaded = demo_figures_load(commune=commune, today=date(2026, 2, 10))
    assert loaded == 16 and demo_figures_load(commune=commune, today=date(2026, 2, 10)) == 0
    assert IndicatorFigure.objects.filter(status=FigureStatus.APPROVED).count() == 16
    statuses = {row.status for row in indicator_progress_list(plan_id=active_plan.pk, as_of=date(2026, 2, 10))}
    assert len(statuses - {"no_data", "no_target"}) >= 2
    demo_reset()
    assert not IndicatorFigure.objects.exists() and not StoredFile.objects.exists()


def test_the_nightly_job_creates_the_figures_owed_and_the_sweep_only_chases_them(active_plan):
    import time_machine

    from indicators.jobs import figures_generate_job
    from workflow.escalation import escalations_run

    with time_machine.travel(date(2025, 9, 10), tick=False):
        escalations_run()
        assert not IndicatorFigure.objects.exists()  # the sweep creates nothing
        assert figures_generate_job() > 0
        assert figures_generate_job() == 0  # a repeat, or a second worker, creates nothing twice
    assert _figure(active_plan, "1", "2025-Q3").due_on == date(2025, 10, 7)
