"""The indicator pages for every role, the figure loop through the pages, and late figures escalated."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from indicators.models import FigureNotice, FigureStatus, IndicatorFigure
from indicators.services import figure_due_generate
from notifications.models import Delivery, Notification
from workflow.escalation import escalations_run
from workflow.services import plan_activate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role"]
SEES_PLAN = {"party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin"}


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def first_of_october_2025():
    """The pages judge progress "today": make today Wednesday 01/10/2025, in quarter III's reporting window."""
    with time_machine.travel(_at(date(2025, 10, 1)), tick=False):
        yield


@pytest.fixture
def figure(thanh_mien_plan, people):
    """Indicator 1 of Thanh Miện (≥60% in 2025, reported by Phòng VHXH), quarter III/2025, due 07/10/2025."""
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    figure_due_generate(today=date(2025, 9, 10))
    return IndicatorFigure.objects.get(indicator__plan=thanh_mien_plan, indicator__number="1", period_key="2025-Q3")


def _evidence(name: str = "so-lieu-quy-3.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.mark.parametrize("role", ROLES)
def test_the_plans_indicator_page_opens_for_whoever_sees_the_plan(login, people, figure, role):
    response = login(people[role]).get(reverse("plan_indicators", args=[figure.plan_id]))
    assert response.status_code == (200 if role in SEES_PLAN else 403)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Tỷ lệ phủ sóng 5G trên địa bàn xã." in page and "≥60%" in page
        assert 'data-status="no_data"' in page and "07/10/2025" in page


@pytest.mark.parametrize("role", ROLES)
def test_the_figure_page_shows_the_form_only_to_the_reporting_unit(login, people, figure, role):
    response = login(people[role]).get(reverse("figure_detail", args=[figure.pk]))
    assert response.status_code == (200 if role in SEES_PLAN else 403)
    if response.status_code == 200:
        page = response.content.decode()
        assert ('name="step" value="submit"' in page) == (role in {"unit_head", "staff"})
        assert 'name="step" value="review"' not in page


@pytest.mark.parametrize("role", ROLES)
def test_submitting_is_refused_to_anyone_outside_the_reporting_unit(login, people, figure, role):
    client = login(people[role])
    response = client.post(reverse("figure_submit", args=[figure.pk]), {"value": "61,5", "files": [_evidence()]})
    figure.refresh_from_db()
    if role in {"unit_head", "staff"}:
        assert response.status_code == 302 and figure.status == FigureStatus.SUBMITTED
        assert str(figure.value) == "61.5000"
    else:
        assert response.status_code == 403 and figure.status == FigureStatus.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_reviewing_is_refused_to_anyone_but_the_unit_head(login, people, figure, role):
    login(people["staff"]).post(reverse("figure_submit", args=[figure.pk]), {"value": "61", "files": [_evidence()]})
    response = login(people[role]).post(reverse("figure_review", args=[figure.pk]), {"decision": "approve"})
    figure.refresh_from_db()
    if role == "unit_head":
        assert response.status_code == 302 and figure.status == FigureStatus.APPROVED
    else:
        assert response.status_code == 403 and figure.status == FigureStatus.SUBMITTED


def test_submit_return_resubmit_approve_through_the_pages(login, people, figure):
    url = reverse("figure_detail", args=[figure.pk])
    staff = login(people["staff"])
    response = staff.post(reverse("figure_submit", args=[figure.pk]), {"value": "", "files": [_evidence()]},
                          follow=True)
    assert "Enter the figure for this period." in response.content.decode() or \
        "Nhập số liệu của kỳ này." in response.content.decode()
    staff.post(reverse("figure_submit", args=[figure.pk]), {"value": "55", "note": "Theo số liệu nhà mạng",
                                                            "files": [_evidence()]})
    head = login(people["unit_head"])
    page = head.get(url).content.decode()
    assert 'name="step" value="review"' in page and "55%" in page
    head.post(reverse("figure_review", args=[figure.pk]), {"decision": "return", "reason": ""})
    figure.refresh_from_db()
    assert figure.status == FigureStatus.SUBMITTED  # a return without its reason changes nothing
    head.post(reverse("figure_review", args=[figure.pk]), {"decision": "return", "reason": "Chưa có biên bản"})
    staff = login(people["staff"])
    page = staff.get(url).content.decode()
    assert "Chưa có biên bản" in page and 'name="step" value="submit"' in page
    staff.post(reverse("figure_submit", args=[figure.pk]), {"value": "62", "files": [_evidence("bien-ban.pdf")]})
    head = login(people["unit_head"])
    head.post(reverse("figure_review", args=[figure.pk]), {"decision": "approve"})
    figure.refresh_from_db()
    assert (figure.status, figure.version, figure.return_count) == (FigureStatus.APPROVED, 2, 1)
    page = head.get(reverse("plan_indicators", args=[figure.plan_id])).content.decode()
    assert "62%" in page and 'data-status="achieved"' in page
    page = head.get(url).content.decode()
    assert "bien-ban.pdf" in page and "so-lieu-quy-3.pdf" in page
    kinds = list(AuditEvent.objects.filter(object_type="figure", object_id=str(figure.pk)).order_by("seq")
                 .values_list("kind", flat=True))
    assert kinds == ["figure_created", "submitted", "returned", "submitted", "approved"]


@pytest.mark.parametrize("role", ROLES)
def test_evidence_is_served_only_to_those_who_see_the_plan(login, people, figure, role):
    login(people["staff"]).post(reverse("figure_submit", args=[figure.pk]), {"value": "61", "files": [_evidence()]})
    evidence = figure.evidence.get()
    response = login(people[role]).get(reverse("figure_file", args=[figure.pk, evidence.file_id]))
    assert response.status_code == (200 if role in SEES_PLAN else 403)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF


def test_a_file_of_a_task_output_is_not_served_as_a_figures_evidence(login, people, figure):
    from workflow.models import StoredFile

    other = StoredFile.objects.create(relative_path="outputs/x.pdf", original_name="x.pdf", content_type="application/pdf",
                                      size=1, sha256="0" * 64, uploaded_by=people["staff"])
    response = login(people["party_office"]).get(reverse("figure_file", args=[figure.pk, other.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_party_office_and_administrator_edit_the_schedule(login, people, figure, role):
    indicator = figure.indicator
    client = login(people[role])
    page = client.get(reverse("indicator_detail", args=[indicator.pk]))
    assert page.status_code == (200 if role in SEES_PLAN else 403)
    response = client.post(reverse("indicator_schedule_edit", args=[indicator.pk]),
                           {"cadence": "monthly", "due_working_days": "3", "reporting_unit": ""})
    allowed = role in {"party_office", "admin"}
    assert response.status_code == (302 if allowed else 403)
    indicator.refresh_from_db()
    assert (getattr(indicator, "schedule", None) is not None) == allowed
    if allowed:
        assert 'name="step" value="schedule"' in page.content.decode()


def test_the_home_page_lists_what_to_report_and_what_to_approve(login, people, figure):
    page = login(people["staff"]).get(reverse("indicators_home")).content.decode()
    assert f'data-figure="{figure.pk}"' in page
    assert f'data-figure="{figure.pk}"' not in login(people["supporting"]).get(reverse("indicators_home")).content.decode()
    login(people["staff"]).post(reverse("figure_submit", args=[figure.pk]), {"value": "61", "files": [_evidence()]})
    page = login(people["unit_head"]).get(reverse("indicators_home")).content.decode()
    assert "Figures waiting for your approval" in page or "Số liệu chờ bạn duyệt" in page
    assert f'data-figure="{figure.pk}"' in page


# Reminders and escalation: the figure of quarter III/2025 is due on Tuesday 07/10/2025.


def _figure_sent(figure, rung) -> set[str]:
    return set(Notification.objects.filter(message_key__startswith="figure_", rung=rung,
                                           url=reverse("figure_detail", args=[figure.pk]))
               .values_list("recipient__username", flat=True))


@pytest.mark.parametrize("rung, day_before, day, recipients", [
    ("remind_7", date(2025, 9, 25), date(2025, 9, 26), {"thanhmien.truongphong"}),
    ("due", date(2025, 10, 6), date(2025, 10, 7), {"thanhmien.truongphong"}),
    ("overdue_3", date(2025, 10, 9), date(2025, 10, 10), {"<directing>", "thanhmien.vanphong"}),
    ("overdue_10", date(2025, 10, 20), date(2025, 10, 21), {"thanhmien.kiemtra"}),
])
def test_a_late_figure_is_reminded_and_escalated_on_the_communes_rungs(figure, rung, day_before, day, recipients):
    escalations_run(now=_at(day_before))
    assert _figure_sent(figure, rung) == set()
    escalations_run(now=_at(day))
    assert _figure_sent(figure, rung) == {_directing(figure) if name == "<directing>" else name for name in recipients}


def _directing(figure) -> str:
    """Who holds the indicator's directing post (indicator 1: the comrade the plan names for it)."""
    from roles.models import PostHolding

    assert figure.indicator.directing_post_id is not None
    return PostHolding.objects.get(post_id=figure.indicator.directing_post_id, ended_on__isnull=True).person.username


def test_the_sweep_sends_nothing_twice_and_audits_the_escalation(figure, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = escalations_run(now=_at(date(2025, 10, 10)))
    again = escalations_run(now=_at(date(2025, 10, 10)))
    assert first.per_rung.get("figure_overdue_3", 0) > 0
    assert not any(key.startswith("figure_") for key in again.per_rung)
    notices = FigureNotice.objects.filter(figure=figure, rung="overdue_3")
    assert notices.count() == 2 and all(n.notification_id for n in notices)
    escalated = AuditEvent.objects.get(object_type="figure", object_id=str(figure.pk), kind="escalated")
    assert escalated.detail["rung"] == "overdue_3" and set(escalated.detail["to"]) == {"directing", "party_office"}
    # The directing comrade gets an email at once; the Party Office reads it in the daily digest.
    directing = f"{_directing(figure)}@demo.sauro.local"
    to = {address for message in mailoutbox for address in message.to}
    assert directing in to
    assert not Delivery.objects.filter(notification__recipient__username="thanhmien.vanphong",
                                       notification__message_key="figure_overdue").exists()
    overdue = [m for m in mailoutbox if directing in m.to and "5G" in m.subject]
    assert overdue and "07/10/2025" in overdue[0].body


def test_a_returned_figure_reminds_the_person_who_submitted_it(figure, people):
    from decimal import Decimal

    from indicators.services import FigureReport, figure_review, figure_submit

    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(50)),
                  files=[("a.pdf", PDF)])
    figure_review(figure=figure, actor=people["unit_head"], approve=False, reason="Sai kỳ")
    escalations_run(now=_at(date(2025, 10, 6)))
    assert _figure_sent(figure, "remind_1") == {"thanhmien.canbo"}


def test_an_approved_figure_is_not_chased_and_a_dry_run_writes_nothing(figure, people):
    from decimal import Decimal

    from indicators.services import FigureReport, figure_review, figure_submit

    escalations_run(now=_at(date(2025, 10, 10)), dry_run=True)
    assert not FigureNotice.objects.exists() and not Notification.objects.filter(
        message_key__startswith="figure_").exists()
    figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal(61)),
                  files=[("a.pdf", PDF)])
    figure_review(figure=figure, actor=people["unit_head"], approve=True)
    escalations_run(now=_at(date(2025, 10, 10)))
    assert _figure_sent(figure, "overdue_3") == set()


def test_the_bell_renders_a_figure_notification(login, people, figure):
    escalations_run(now=_at(date(2025, 10, 7)))
    page = login(people["unit_head"]).get(reverse("notifications")).content.decode()
    assert "5G" in page and reverse("figure_detail", args=[figure.pk]) in page


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, figure):
    login = reverse("login")
    urls = [reverse("indicators_home"), reverse("plan_indicators", args=[figure.plan_id]),
            reverse("indicator_detail", args=[figure.indicator_id]),
            reverse("indicator_schedule_edit", args=[figure.indicator_id]),
            reverse("figure_detail", args=[figure.pk]), reverse("figure_submit", args=[figure.pk]),
            reverse("figure_review", args=[figure.pk]), reverse("figure_file", args=[figure.pk, 1])]
    for url in urls:
        for response in (client.get(url), client.post(url, {"value": "1", "decision": "approve"})):
            assert response.status_code == 302 and response["Location"].startswith(login), url
    figure.refresh_from_db()
    assert figure.status == FigureStatus.DRAFT
