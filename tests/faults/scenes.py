"""What the fault tests do inside the application, run as `python -m tests.faults.scenes NAME JSON`.

Each scene runs in a fresh process with the settings and database of the test (tests/faults/settings.py
and DATABASE_URL pointing at the private PostgreSQL), and prints its result as one JSON line.
"""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def world_build() -> dict:
    """Both demo communes, and Thanh Miện's plan imported and activated on 10/09/2025."""
    import time_machine

    from tasks.demo import DEMO_COMMUNES, demo_commune_build
    from tasks.services import plan_import
    from tests.conftest import sample_file
    from workflow.services import plan_activate

    thanh_mien = demo_commune_build(spec=DEMO_COMMUNES[0])
    demo_commune_build(spec=DEMO_COMMUNES[1])
    plan = plan_import(commune_slug=thanh_mien.slug, files=[sample_file("000_phu_luc.docx")]).plan
    from roles.models import User

    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=plan, actor=User.objects.get(username="thanhmien.vanphong"))
    return {"plan_id": plan.pk}


def session_open(*, username: str) -> dict:
    """A signed-in session (second factor passed, as after the sign-in pages) for the HTTP requests."""
    from django.conf import settings

    from roles.models import User
    from tests.conftest import SignedInClient

    client = SignedInClient()
    client.force_login(User.objects.get(username=username))
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def sweep(*, at: str) -> dict:
    """The escalation sweep as of `at` (ISO, Viet Nam time); the deliveries it queued by email."""
    import time_machine

    from notifications.models import Delivery
    from workflow.escalation import escalations_run

    now = datetime.fromisoformat(at).replace(tzinfo=VN)
    before = set(Delivery.objects.values_list("pk", flat=True))
    with time_machine.travel(now, tick=False):
        report = escalations_run(now=now)
    queued = sorted(set(Delivery.objects.filter(channel="email").values_list("pk", flat=True)) - before)
    return {"emails_queued": report.emails_queued, "delivery_ids": queued}


def output_submit(*, task_number: str) -> dict:
    """Thanh Miện's occurrence of the task accepted and its output submitted with a signed PDF."""
    import time_machine

    from roles.models import User
    from workflow.models import Occurrence
    from workflow.services import OutputDocument, occurrence_accept
    from workflow.services import output_submit as submit

    occurrence = Occurrence.objects.get(commune__slug="thanh-mien", task__number=task_number)
    head, staff = User.objects.get(username="thanhmien.truongphong"), User.objects.get(username="thanhmien.canbo")
    with time_machine.travel(date(2025, 9, 15), tick=False):
        occurrence_accept(occurrence=occurrence, actor=head, assignee=staff)
        output = submit(occurrence=occurrence, actor=staff, files=[("ke_hoach.pdf", PDF)],
                        document=OutputDocument(kind="plan", number_symbol="12/KH-UBND", signer="Nguyễn Văn A",
                                                document_date=date(2025, 9, 14)))
    stored = output.files.get()
    return {"occurrence_id": occurrence.pk, "task_name": occurrence.task.name, "file_id": stored.pk,
            "sha256": hashlib.sha256(PDF).hexdigest()}


def plan_import_activate(*, commune: str, sample: str) -> dict:
    import time_machine

    from roles.models import RoleGrant
    from tasks.services import plan_import
    from tests.conftest import sample_file
    from workflow.services import plan_activate

    plan = plan_import(commune_slug=commune, files=[sample_file(sample)]).plan
    office = RoleGrant.objects.filter(commune__slug=commune, role="party_office").first().person
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=plan, actor=office)
    return {"plan_id": plan.pk, "occurrences": plan.occurrences.count()}


SCENES = {scene.__name__: scene for scene in (world_build, session_open, sweep, output_submit, plan_import_activate)}

if __name__ == "__main__":
    import django

    django.setup()
    result = SCENES[sys.argv[1]](**json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}"))
    print(json.dumps(result))
