"""A plan with known work, shared by the dashboard and report tests.

Thanh Miện's plan, activated on 10/09/2025 (26 occurrences: 20 due 30/09/2025, 6 annual ones due
31/12/2025). Then, through the real flow, Phòng Văn hóa - Xã hội finishes task 7 on 20/09 (on
time) and task 6 on 03/10 (late), and accepts task 3 on 22/09 (in progress). Task 1 of the Party
Office is cancelled, and two occurrences of task 3 had their due date moved (as an approved
extension does, keeping the original): Công an xã to 14/10, Ban Xây dựng Đảng to 17/10.
"""
from __future__ import annotations

from datetime import date

import time_machine

from workflow.models import Occurrence, OccurrenceStatus
from workflow.services import OutputDocument, occurrence_accept, output_review, output_submit, plan_activate

ACTIVATED = date(2025, 9, 10)
VHXH = "Phòng Văn hóa - Xã hội"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def occurrence_of(plan, number: str, unit: str) -> Occurrence:
    return Occurrence.objects.get(plan=plan, task__number=number, unit__name=unit)


def _finish(occurrence: Occurrence, people, day: date) -> None:
    with time_machine.travel(day, tick=False):
        occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        output_submit(occurrence=occurrence, actor=people["staff"], files=[("ke_hoach.pdf", PDF)],
                      document=OutputDocument(kind="plan", number_symbol="15/KH-UBND", document_date=day,
                                              signer="Vũ Đức Thắng"))
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=True)


def scenario_build(*, plan, people) -> dict[str, Occurrence]:
    with time_machine.travel(ACTIVATED, tick=False):
        plan_activate(plan=plan, actor=people["party_office"])
    rows = {"seven": occurrence_of(plan, "7", VHXH), "six": occurrence_of(plan, "6", VHXH),
            "three": occurrence_of(plan, "3", VHXH), "cancelled": occurrence_of(plan, "1", "Văn phòng Đảng ủy"),
            "moved_14": occurrence_of(plan, "3", "Công an xã"), "moved_17": occurrence_of(plan, "3", "Ban Xây dựng Đảng")}
    Occurrence.objects.filter(pk__in=[rows[k].pk for k in ("seven", "six", "three")]).update(
        needs_directing_approval=False)
    _finish(rows["seven"], people, date(2025, 9, 20))
    _finish(rows["six"], people, date(2025, 10, 3))
    with time_machine.travel(date(2025, 9, 22), tick=False):
        occurrence_accept(occurrence=rows["three"], actor=people["unit_head"], assignee=people["staff"])
    Occurrence.objects.filter(pk=rows["cancelled"].pk).update(status=OccurrenceStatus.CANCELLED)
    Occurrence.objects.filter(pk=rows["moved_14"].pk).update(due_on=date(2025, 10, 14))
    Occurrence.objects.filter(pk=rows["moved_17"].pk).update(due_on=date(2025, 10, 17))
    return {key: Occurrence.objects.get(pk=row.pk) for key, row in rows.items()}
