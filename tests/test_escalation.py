"""The reminder and escalation sweep: each rung on its day and not the day before, Tết, extensions, twice."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from notifications.models import Delivery, Notification
from workflow.escalation import escalations_run
from workflow.models import EscalationPolicy, Occurrence
from workflow.services import plan_activate

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN)


@pytest.fixture
def seven(thanh_mien_plan, people):
    """Task 7 of Thanh Miện: lead Phòng VHXH, due Tuesday 30/09/2025, directed by the VHXH deputy chair."""
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return Occurrence.objects.get(plan=thanh_mien_plan, task__number="7")


def _sent(occurrence, rung) -> set[str]:
    return set(Notification.objects.filter(occurrence=occurrence, rung=rung).values_list("recipient__username", flat=True))


@pytest.mark.parametrize("rung, day_before, day, recipients", [
    ("remind_7", date(2025, 9, 18), date(2025, 9, 19), {"thanhmien.truongphong"}),
    ("remind_3", date(2025, 9, 24), date(2025, 9, 25), {"thanhmien.truongphong"}),
    ("remind_1", date(2025, 9, 26), date(2025, 9, 29), {"thanhmien.truongphong"}),
    ("due", date(2025, 9, 29), date(2025, 9, 30), {"thanhmien.truongphong"}),
    ("overdue_3", date(2025, 10, 2), date(2025, 10, 3), {"thanhmien.chidao", "thanhmien.vanphong"}),
    ("overdue_10", date(2025, 10, 13), date(2025, 10, 14), {"thanhmien.kiemtra"}),
])
def test_each_rung_fires_on_its_day_and_not_the_day_before(seven, rung, day_before, day, recipients):
    escalations_run(now=_at(day_before))
    assert _sent(seven, rung) == set()

    escalations_run(now=_at(day))
    assert _sent(seven, rung) == recipients


def test_a_late_sweep_sends_only_the_latest_reminder(seven):
    escalations_run(now=_at(date(2025, 9, 29)))  # nothing ran before: remind_7 and remind_3 are moot
    assert _sent(seven, "remind_1") == {"thanhmien.truongphong"}
    assert _sent(seven, "remind_7") == set() and _sent(seven, "remind_3") == set()


def test_after_acceptance_the_person_is_the_staff_member_and_the_head_hears_on_the_due_day(seven, people):
    from workflow.services import occurrence_accept

    with time_machine.travel(date(2025, 9, 12), tick=False):
        occurrence_accept(occurrence=seven, actor=people["unit_head"], assignee=people["staff"])
    escalations_run(now=_at(date(2025, 9, 19)))
    escalations_run(now=_at(date(2025, 9, 30)))
    assert _sent(seven, "remind_7") == {"thanhmien.canbo"}
    assert _sent(seven, "due") == {"thanhmien.canbo", "thanhmien.truongphong"}


def test_a_sweep_run_twice_records_nothing_twice(seven):
    first = escalations_run(now=_at(date(2025, 10, 3)))
    again = escalations_run(now=_at(date(2025, 10, 3)))
    assert sum(first.per_rung.values()) > 0 and sum(again.per_rung.values()) == 0
    assert Notification.objects.filter(occurrence=seven).count() == len(
        set(Notification.objects.filter(occurrence=seven).values_list("rung", "recipient")))


def test_a_deadline_across_tet_counts_working_days(seven):
    seven.due_on = seven.original_due_on = date(2026, 2, 27)  # the Friday after Tết 2026 (16–20/02 off)
    seven.save()
    escalations_run(now=_at(date(2026, 2, 10)))
    assert _sent(seven, "remind_7") == set()
    escalations_run(now=_at(date(2026, 2, 11)))  # 7 working days before, skipping the Tết holiday
    assert _sent(seven, "remind_7") == {"thanhmien.truongphong"}


def test_an_extension_moves_the_rungs(seven, people):
    from workflow.services import extension_decide, extension_request, occurrence_accept

    with time_machine.travel(date(2025, 9, 20), tick=False):
        occurrence_accept(occurrence=seven, actor=people["unit_head"], assignee=people["staff"])
        request = extension_request(occurrence=seven, actor=people["staff"], requested_due_on=date(2025, 10, 15),
                                    reason="Chờ số liệu")
        extension_decide(extension=request, actor=people["directing"], approve=True)
    escalations_run(now=_at(date(2025, 10, 3)))
    assert _sent(seven, "overdue_3") == set() and _sent(seven, "due") == set()
    escalations_run(now=_at(date(2025, 10, 15)))
    assert _sent(seven, "due") == {"thanhmien.canbo", "thanhmien.truongphong"}


def test_a_returned_output_resets_nothing(seven, people):
    from workflow.services import OutputDocument, occurrence_accept, output_review, output_submit

    pdf = b"%PDF-1.4\n%%EOF\n"
    with time_machine.travel(date(2025, 9, 18), tick=False):
        occurrence_accept(occurrence=seven, actor=people["unit_head"], assignee=people["staff"])
    escalations_run(now=_at(date(2025, 9, 19)))
    with time_machine.travel(date(2025, 9, 22), tick=False):
        output_submit(occurrence=seven, actor=people["staff"], files=[("a.pdf", pdf)], document=OutputDocument(
            kind="plan", number_symbol="1/KH", document_date=date(2025, 9, 22), signer="A"))
        output_review(occurrence=seven, actor=people["unit_head"], approve=False, reason="Sửa lại")
    escalations_run(now=_at(date(2025, 9, 23)))
    assert Notification.objects.filter(occurrence=seven, rung="remind_7").count() == 1
    seven.refresh_from_db()
    assert seven.due_on == seven.original_due_on == date(2025, 9, 30)


def test_done_work_is_not_chased(seven, people):
    Occurrence.objects.filter(pk=seven.pk).update(status="done")
    escalations_run(now=_at(date(2025, 10, 14)))
    assert not Notification.objects.filter(occurrence=seven).exists()


def test_a_communes_own_policy_replaces_the_defaults(seven, thanh_mien):
    EscalationPolicy.objects.create(commune=thanh_mien, rungs=[{"key": "overdue_1", "offset": 1, "to": ["directing"]}])
    escalations_run(now=_at(date(2025, 10, 1)))
    assert _sent(seven, "overdue_1") == {"thanhmien.chidao"}
    assert not Notification.objects.filter(occurrence=seven).exclude(rung="overdue_1").exists()


def test_emails_go_out_after_commit_and_the_party_office_waits_for_its_digest(
        seven, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        escalations_run(now=_at(date(2025, 10, 3)))
    to = {address for message in mailoutbox for address in message.to}
    assert "thanhmien.chidao@demo.sauro.local" in to
    assert "thanhmien.vanphong@demo.sauro.local" not in to
    assert not Delivery.objects.filter(notification__recipient__username="thanhmien.vanphong").exists()
    assert Notification.objects.filter(occurrence=seven, rung="overdue_3",
                                       recipient__username="thanhmien.vanphong", digest_at__isnull=True).exists()


def test_the_command_prints_what_it_sent_per_rung_and_dry_run_writes_nothing(seven, capsys):
    call_command("run_escalations", "--now", "2025-10-03T07:00:00+07:00", "--dry-run", "--json")
    dry = capsys.readouterr().out
    assert '"overdue_3"' in dry and Notification.objects.count() == 0
    call_command("run_escalations", "--now", "2025-10-03T07:00:00+07:00", "--json")
    assert Notification.objects.filter(rung="overdue_3").exists()


def test_the_command_refuses_a_moment_that_is_not_iso(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ISO-8601"):
        call_command("run_escalations", "--now", "31/02/2025")


def _sweep_outcome() -> dict:
    """What a user (and an inspector) can see of the sweeps: notifications, emails, escalation events, cases."""
    from audit.models import AuditEvent
    from inspection.models import InspectionCase

    about_work = Notification.objects.filter(occurrence__isnull=False)  # indicator figures have their own sweep
    return {
        "notifications": sorted((*row[:-1], row[-1] is None) for row in about_work.values_list(
            "recipient_id", "occurrence_id", "rung", "kind", "message_key", "url", "digest_at")),
        "params": sorted((n.occurrence_id, n.recipient_id, n.rung, tuple(sorted(n.params.items())))
                         for n in about_work),
        "emails": sorted(Delivery.objects.filter(notification__in=about_work).values_list("notification__recipient_id", "notification__occurrence_id",
                                                      "notification__rung", "channel", "status")),
        "escalated": sorted((e.occurrence_id, e.detail["rung"], tuple(e.detail["to"]), e.unit_name, e.period_key)
                            for e in AuditEvent.objects.filter(kind="escalated", object_type="occurrence")),
        "cases": sorted(InspectionCase.objects.values_list("occurrence_id", "status", "opened_reason")),
    }


@pytest.mark.django_db(transaction=True)
def test_the_set_based_sweep_records_what_the_portable_one_records(thanh_mien_plan, people, monkeypatch):
    """On PostgreSQL each rung is recorded in a few SQL statements; over a month of sweeps (reminders,
    escalations, cases, accepted and unaccepted work, the Party Office's digest) it must leave exactly
    what the portable path leaves."""
    from django.db import connection

    import workflow.escalation as escalation
    from workflow.services import occurrence_accept

    if connection.vendor != "postgresql":
        pytest.skip("the set-based sweep is PostgreSQL's")
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    with time_machine.travel(date(2025, 9, 12), tick=False):
        for occurrence in Occurrence.objects.filter(plan=thanh_mien_plan, unit__name__icontains="Văn hóa")[:3]:
            occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
    days = [date(2025, 9, 19), date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 3), date(2025, 10, 14),
            date(2025, 12, 31), date(2026, 3, 31)]
    outcomes = {}
    for path in ("portable", "set_based"):
        with monkeypatch.context() as patch:
            if path == "portable":
                patch.setattr(escalation.connection, "vendor", "sqlite")
            for day in days:
                with time_machine.travel(_at(day), tick=False):
                    escalations_run(now=_at(day))
        outcomes[path] = _sweep_outcome()
        from audit.models import AuditEvent
        from inspection.models import InspectionCase

        with connection.cursor() as cursor:  # start the second path from the same state
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
            Delivery.objects.all().delete()
            Notification.objects.all().delete()
            InspectionCase.objects.all().delete()
            AuditEvent.objects.filter(kind__in=["escalated", "opened"], object_type__in=["occurrence", "case"]).delete()
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
    assert outcomes["portable"]["notifications"], "the scenario must notify someone"
    assert outcomes["portable"]["escalated"] and outcomes["portable"]["cases"]
    assert any(not digest for *_rest, digest in outcomes["portable"]["notifications"])
    for key in outcomes["portable"]:
        assert outcomes["set_based"][key] == outcomes["portable"][key], key
