"""The audit history: every change writes an event in its commune's chain, and tampering is caught."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS, event_hash
from audit.models import AuditChain, AuditEvent
from audit.selectors import chain_head_get
from tasks.services import plan_heading_update
from workflow.models import Occurrence
from workflow.services import (
    OutputDocument, escalation_policy_update, occurrence_accept, output_review, output_submit, plan_activate,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def history(thanh_mien_plan, people):
    """A plan activated and one task taken through accept, submit and a return."""
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
        occurrence = Occurrence.objects.get(plan=thanh_mien_plan, task__number="7")
        occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        output_submit(occurrence=occurrence, actor=people["staff"], files=[("ke-hoach.pdf", PDF)],
                      document=OutputDocument(kind="plan", number_symbol="12/KH-UBND",
                                              document_date=date(2025, 9, 20), signer="Vũ Đức Thắng"))
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=False, reason="Thiếu số liệu")
    return occurrence


def _verify(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def _behind_the_back(sql: str, params=()) -> None:
    """Run SQL as someone with database access would, with the append-only trigger out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)


def _event(occurrence, kind: str) -> AuditEvent:
    return AuditEvent.objects.get(occurrence_id=occurrence.pk, kind=kind)


def test_each_step_is_an_event_with_who_post_unit_and_what_changed(history, people):
    returned = _event(history, "returned")
    assert returned.actor_id == people["unit_head"].pk and returned.actor_name == str(people["unit_head"])
    assert returned.post.is_unit_head and returned.post.unit_id == history.unit_id
    assert returned.unit_id == history.unit_id and returned.unit_name == history.unit.name
    assert (returned.plan_id, returned.task_id, returned.period_key) == (history.plan_id, history.task_id, "once")
    assert returned.before == {"status": "submitted", "return_count": 0}
    assert returned.after == {"status": "returned", "return_count": 1}
    assert returned.reason == "Thiếu số liệu"
    accepted = _event(history, "accepted")
    assert accepted.after == {"status": "in_progress", "assignee": people["staff"].pk}
    submitted = _event(history, "submitted")
    assert submitted.detail["files"][0]["name"] == "ke-hoach.pdf" and len(submitted.detail["files"][0]["sha256"]) == 64
    activated = AuditEvent.objects.get(object_type="plan", kind="activated", plan_id=history.plan_id)
    assert activated.after == {"status": "active"} and activated.actor_id == people["party_office"].pk


def test_events_of_a_commune_form_one_chain(history):
    events = list(AuditEvent.objects.filter(chain=history.commune_id).order_by("seq"))
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    head = chain_head_get(commune_id=history.commune_id)
    assert (head.seq, head.head_hash) == (events[-1].seq, events[-1].hash)


def test_the_hash_covers_the_stored_content(history):
    event = _event(history, "returned")
    values = {name: getattr(event, name) for name in (
        "chain", "seq", "at", "kind", "object_type", "object_id", "commune_id", "actor_id", "actor_name",
        "post_id", "post_title", "unit_id", "unit_name", "ip", "plan_id", "task_id", "occurrence_id", "case_id",
        "period_key", "before", "after", "detail", "reason", "prev_hash")}
    assert event_hash(values) == event.hash
    assert event_hash({**values, "reason": "Đủ số liệu"}) != event.hash


def test_verify_passes_on_a_whole_chain_and_counts_the_events(history):
    code, out, _err = _verify()
    assert code == 0
    assert str(AuditEvent.objects.count()) in out
    code, out, _err = _verify("--commune", history.commune.slug)
    assert code == 0 and str(AuditEvent.objects.filter(chain=history.commune_id).count()) in out


def test_verify_names_a_changed_row(history):
    returned = _event(history, "returned")
    _behind_the_back("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["Đã đủ", returned.pk])
    code, _out, err = _verify()
    assert code == 1
    assert f"id {returned.pk}" in err and f"{returned.seq}" in err


def test_verify_names_a_changed_json_field(history):
    accepted = _event(history, "accepted")
    after = json.dumps({"status": "in_progress", "assignee": 1})
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    _behind_the_back(f"UPDATE audit_auditevent SET after = %s{cast} WHERE id = %s", [after, accepted.pk])
    code, _out, err = _verify()
    assert code == 1 and f"id {accepted.pk}" in err


def test_verify_catches_a_removed_row_in_the_middle(history):
    accepted = _event(history, "accepted")
    _behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [accepted.pk])
    code, _out, err = _verify()
    assert code == 1
    assert f"{accepted.seq + 1}" in err  # the event after the gap is named


def test_verify_catches_the_last_rows_removed(history):
    last = AuditEvent.objects.filter(chain=history.commune_id).order_by("-seq").first()
    _behind_the_back("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    code, _out, err = _verify()
    assert code == 1 and str(last.seq) in err


def test_verify_catches_a_row_inserted_out_of_order(history):
    """A forged event slipped in with a correct hash of its own, but not where the chain expects it."""
    first = AuditEvent.objects.filter(chain=history.commune_id).order_by("seq").first()
    AuditChain.objects.filter(chain=history.commune_id).update(seq=0)  # make room as a forger would have to
    forged = {name: getattr(first, name) for name in ("chain", "at", "kind", "object_type", "object_id",
                                                      "commune_id", "actor_id", "actor_name", "post_id", "post_title",
                                                      "unit_id", "unit_name", "ip", "plan_id", "task_id",
                                                      "occurrence_id", "case_id", "period_key", "before", "after",
                                                      "detail", "reason")}
    head = AuditEvent.objects.filter(chain=history.commune_id).order_by("-seq").first()
    forged.update(seq=head.seq + 1, prev_hash=first.hash, reason="thêm vào sau")
    forged["hash"] = event_hash(forged)
    AuditChain.objects.filter(chain=history.commune_id).update(seq=head.seq + 1, head_hash=forged["hash"])
    AuditEvent.objects.create(**forged)
    code, _out, err = _verify()
    assert code == 1 and str(head.seq + 1) in err


def test_verify_catches_an_event_appended_without_its_chain(history):
    head = AuditEvent.objects.filter(chain=history.commune_id).order_by("-seq").first()
    values = {name: getattr(head, name) for name in ("chain", "at", "kind", "object_type", "object_id",
                                                     "commune_id", "actor_id", "actor_name", "post_id", "post_title",
                                                     "unit_id", "unit_name", "ip", "plan_id", "task_id",
                                                     "occurrence_id", "case_id", "period_key", "before", "after",
                                                     "detail", "reason")}
    values.update(seq=head.seq + 1, prev_hash=head.hash)
    values["hash"] = event_hash(values)
    AuditEvent.objects.create(**values)  # the chain head was not moved
    code, _out, err = _verify()
    assert code == 1 and str(head.seq + 1) in err


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_the_database_refuses_to_change_or_delete_an_event(history, statement):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (CI runs this on PostgreSQL)")
    event = _event(history, "returned")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    event.refresh_from_db()
    assert event.reason == "Thiếu số liệu"


def test_the_orm_cannot_delete_events_either(history):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (CI runs this on PostgreSQL)")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(chain=history.commune_id).delete()
    assert AuditEvent.objects.filter(chain=history.commune_id).exists()


def test_a_request_records_its_address(client, history, people, login):
    login(people["unit_head"])
    before = AuditEvent.objects.count()
    occurrence = Occurrence.objects.exclude(pk=history.pk).filter(plan=history.plan, status="assigned",
                                                                  unit=history.unit).first()
    if occurrence is None:
        pytest.skip("no second occurrence of the unit in this plan")
    response = client.post(f"/occurrences/{occurrence.pk}/accept/", {"assignee": people["staff"].pk},
                           REMOTE_ADDR="203.0.113.7")
    assert response.status_code in (200, 302)
    accepted = AuditEvent.objects.filter(occurrence_id=occurrence.pk, kind="accepted").get()
    assert accepted.ip == "203.0.113.7" and AuditEvent.objects.count() > before


def test_logins_and_failures_are_events_with_the_address(client, people):
    person = people["unit_head"]
    client.post("/accounts/login/", {"username": person.username, "password": "wrong"}, REMOTE_ADDR="198.51.100.9")
    failed = AuditEvent.objects.filter(kind="login_failed").latest("pk")
    assert (failed.chain, failed.ip, failed.detail["username"]) == (person.commune_id, "198.51.100.9", person.username)
    client.post("/accounts/login/", {"username": "nobody-here", "password": "x"}, REMOTE_ADDR="198.51.100.9")
    unknown = AuditEvent.objects.filter(kind="login_failed").latest("pk")
    assert unknown.chain == 0 and unknown.detail["username"] == "nobody-here"


def test_policy_and_heading_changes_keep_before_and_after(history, people):
    escalation_policy_update(commune=history.commune, actor=people["admin"], offsets={"overdue_3": 5})
    changed = AuditEvent.objects.get(object_type="escalation_policy")
    assert [r["offset"] for r in changed.before["rungs"] if r["key"] == "overdue_3"] == [3]
    assert [r["offset"] for r in changed.after["rungs"] if r["key"] == "overdue_3"] == [5]
    plan_heading_update(plan=history.plan, actor=people["party_office"], number_symbol="57-KH/ĐU",
                        issued_on=date(2025, 8, 1), issuer="Đảng ủy xã", title="")
    heading = AuditEvent.objects.get(object_type="plan", kind="heading_updated")
    assert heading.after["number_symbol"] == "57-KH/ĐU" and heading.after["issued_on"] == "2025-08-01"


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_keep_the_chain_whole(thanh_mien):
    """Two connections appending to one commune's chain at once: consecutive places, every link intact."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    import threading

    from django.db import connections

    from audit.services import audit_record

    def write(name: str) -> None:
        try:
            for index in range(15):
                with transaction.atomic():
                    audit_record(kind="noted", object_type="test", object_id=f"{name}{index}",
                                 commune_id=thanh_mien.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = list(AuditEvent.objects.filter(chain=thanh_mien.pk, object_type="test").values_list("seq", flat=True))
    assert len(seqs) == 30
    code, _out, _err = _verify("--commune", thanh_mien.slug)
    assert code == 0


def test_the_canonical_form_is_compact_sorted_json_with_or_without_orjson(history, monkeypatch):
    """An offline checker with only the standard library computes the same hashes."""
    import audit.chain as chain

    event = _event(history, "returned")
    values = {name: getattr(event, name) for name in chain.HASHED_FIELDS}
    fast = chain.event_canonical(values)
    monkeypatch.setattr(chain, "orjson", None)
    assert chain.event_canonical(values) == fast
    assert chain.event_hash(values) == event.hash


def test_a_large_batch_goes_in_whole_and_verifies(thanh_mien):
    """Past COPY_FROM events at once (PostgreSQL writes them with COPY) the chain is the same."""
    from audit.services import COPY_FROM, AuditDraft, audit_record_many

    drafts = [AuditDraft(kind="noted", object_type="test", object_id=n, commune_id=thanh_mien.pk,
                         detail={"n": n, "text": "Ủy ban \"xã\"\n\\"}) for n in range(COPY_FROM + 5)]
    audit_record_many(drafts=drafts)
    stored = list(AuditEvent.objects.filter(chain=thanh_mien.pk, object_type="test").order_by("seq"))
    assert [event.detail["n"] for event in stored] == list(range(COPY_FROM + 5))
    assert stored[0].detail["text"] == "Ủy ban \"xã\"\n\\"
    assert _verify("--commune", thanh_mien.slug)[0] == 0


@pytest.mark.django_db(transaction=True)
def test_the_parallel_check_reads_every_chain_and_names_a_change(thanh_mien, truong_giang, monkeypatch):
    """On PostgreSQL large histories are checked by several processes, each over a range of chains."""
    if connection.vendor != "postgresql":
        pytest.skip("the parallel check is PostgreSQL's")
    import audit.verify_pg as verify_pg

    monkeypatch.setattr(verify_pg, "PARALLEL_FROM", 0)
    monkeypatch.setattr(verify_pg.os, "cpu_count", lambda: 3)
    total = AuditEvent.objects.count()
    assert AuditEvent.objects.values("chain").distinct().count() >= 2
    code, out, _err = _verify()
    assert code == 0 and str(total) in out
    victim = AuditEvent.objects.filter(chain=truong_giang.pk).order_by("seq")[3]
    try:
        _behind_the_back("UPDATE audit_auditevent SET actor_name = 'ai đó' WHERE id = %s", [victim.pk])
    finally:  # committed at once here: put the guard back for the tests that follow
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
    code, _out, err = _verify()
    assert code == 1 and f"id {victim.pk}" in err
