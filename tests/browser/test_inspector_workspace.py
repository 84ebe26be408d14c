"""Issue 5 in a real browser: an inspector finds the tasks returned three times or more, opens one
timeline and downloads its evidence bundle, which verifies offline; a unit head cannot open the workspace."""
from __future__ import annotations

import json
import zipfile

import pytest
import time_machine

from audit.models import AuditEvent
from audit.verify import bundle_verify
from tests.audit_history import TODAY, at, history_build

pytestmark = pytest.mark.browser


@pytest.fixture
def history(thanh_mien_plan, people):
    built = history_build(plan=thanh_mien_plan, people=people)
    with time_machine.travel(at(TODAY, 10), tick=True):
        yield built


def test_an_inspector_finds_opens_and_exports_and_a_unit_head_is_refused(page_as, history, tmp_path):
    commune = history.plan.commune
    inspector = page_as("thanhmien.kiemtra")
    inspector.click("header nav >> text=Lịch sử và chứng cứ")
    inspector.wait_for_url(f"**/xa/{commune.slug}/kiem-tra-lich-su/")
    inspector.select_option("select[name=pattern]", "returned_3")
    inspector.click("#search button[type=submit]")
    inspector.wait_for_selector("table.occurrences")
    rows = inspector.locator("table.occurrences tbody tr[data-occurrence]")
    assert rows.count() == 1 and rows.first.get_attribute("data-occurrence") == str(history.r.pk)

    rows.first.locator("a").first.click()
    inspector.wait_for_url(f"**/kiem-tra-lich-su/viec/{history.r.pk}/")
    kinds = inspector.locator("table.events tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds == ["created", "accepted"] + ["submitted", "returned"] * 3 + ["submitted", "approved", "done"]
    assert inspector.locator("text=Thiếu phụ lục kinh phí").count() == 1

    with inspector.expect_download() as download_info:
        inspector.click("#export button[type=submit]")
    bundle = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(bundle)
    assert bundle.name.startswith(f"ho-so-chung-cu-{commune.slug}-") and bundle.suffix == ".zip"
    with zipfile.ZipFile(bundle) as archive:
        assert {"report.docx", "events.json", "proof.json"} <= set(archive.namelist())
        events = json.loads(archive.read("events.json"))["events"]
    assert {event["occurrence_id"] for event in events} == {history.r.pk}
    assert bundle_verify(path=str(bundle)) == len(events) == 11
    exported = AuditEvent.objects.get(kind="exported")
    assert exported.actor.username == "thanhmien.kiemtra" and exported.detail["occurrence_id"] == history.r.pk

    head = page_as("thanhmien.truongphong")
    assert head.locator("header nav >> text=Lịch sử và chứng cứ").count() == 0
    response = head.goto(f"/xa/{commune.slug}/kiem-tra-lich-su/")
    assert response.status == 403
    response = head.goto(f"/xa/{commune.slug}/kiem-tra-lich-su/viec/{history.r.pk}/")
    assert response.status == 403
