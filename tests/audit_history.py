"""A commune's history built through the real services, for the inspectors' workspace and bundle tests.

Thanh Miện's plan, activated on 10/09/2025; every task below was due on 30/09/2025. "Today" is 20/10/2025.
- R, task 7 of Phòng Văn hóa - Xã hội: returned three times, approved on 03/10: finished late.
- E, task 6 of the same unit: extended twice, approved on 22/09: finished on time.
- X, task 3 of the same unit: extended once (to 15/10), still in progress: open past its original due date.
- K, task 3 of Phòng Kinh tế: accepted, never submitted: escalated by the sweeps of 06/10 and 14/10.
- N, task 6 of Phòng Kinh tế: never accepted: never started, escalated, an inspection case opened on 14/10.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from roles.models import Post, User
from workflow.escalation import escalations_run
from workflow.models import Occurrence
from workflow.services import (
    OutputDocument, extension_decide, extension_request, occurrence_accept, output_review, output_submit, plan_activate,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 10, 20)
VHXH, PKT = "Phòng Văn hóa - Xã hội", "Phòng Kinh tế"
RETURN_REASONS = ["Thiếu phụ lục kinh phí", "Sai số liệu dân số", "Chưa có chữ ký"]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def pdf(label: str) -> bytes:
    return f"%PDF-1.4\n% {label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".encode()


def _document(number: str) -> OutputDocument:
    return OutputDocument(kind="plan", number_symbol=number, document_date=date(2025, 9, 15), signer="Vũ Đức Thắng")


@dataclass
class History:
    plan: object
    r: Occurrence
    e: Occurrence
    x: Occurrence
    k: Occurrence
    n: Occurrence
    pkt_head: User

    def refresh(self) -> History:
        for occurrence in (self.r, self.e, self.x, self.k, self.n):
            occurrence.refresh_from_db()
        return self


def _occurrence(plan, number: str, unit: str) -> Occurrence:
    occurrence = Occurrence.objects.get(plan=plan, task__number=number, unit__name=unit)
    occurrence.needs_directing_approval = False  # the unit head's approval finishes it
    occurrence.save(update_fields=["needs_directing_approval"])
    return occurrence


def history_build(*, plan, people) -> History:
    head, staff, directing = people["unit_head"], people["staff"], people["directing"]
    pkt_head = User.objects.get(holdings__post__title="Trưởng phòng Kinh tế", holdings__post__commune=plan.commune,
                                holdings__ended_on__isnull=True)
    with time_machine.travel(at(date(2025, 9, 10)), tick=False):
        plan_activate(plan=plan, actor=people["party_office"])
    r, e, x = _occurrence(plan, "7", VHXH), _occurrence(plan, "6", VHXH), _occurrence(plan, "3", VHXH)
    k, n = _occurrence(plan, "3", PKT), _occurrence(plan, "6", PKT)
    with time_machine.travel(at(date(2025, 9, 12)), tick=False):
        for occurrence in (r, e, x):
            occurrence_accept(occurrence=occurrence, actor=head, assignee=staff)
        occurrence_accept(occurrence=k, actor=pkt_head, assignee=people["supporting"])
    for day, reason in zip((15, 16, 17), RETURN_REASONS):
        with time_machine.travel(at(date(2025, 9, day)), tick=False):
            output_submit(occurrence=r, actor=staff, document=_document(f"{day}/KH-UBND"),
                          files=[(f"ke_hoach_{day}.pdf", pdf(f"version of {day}/09"))])
        with time_machine.travel(at(date(2025, 9, day), 15, 30), tick=False):
            output_review(occurrence=r, actor=head, approve=False, reason=reason)
    for day, until in ((16, date(2025, 10, 10)), (18, date(2025, 10, 20))):
        with time_machine.travel(at(date(2025, 9, day), 10), tick=False):
            request = extension_request(occurrence=e, actor=staff, requested_due_on=until, reason=f"Chờ số liệu {day}")
            extension_decide(extension=request, actor=directing, approve=True, reason="Đồng ý")
    with time_machine.travel(at(date(2025, 9, 19), 10), tick=False):
        request = extension_request(occurrence=x, actor=staff, requested_due_on=date(2025, 10, 15), reason="Chờ họp")
        extension_decide(extension=request, actor=directing, approve=True, reason="Đồng ý")
    with time_machine.travel(at(date(2025, 9, 22)), tick=False):
        output_submit(occurrence=e, actor=staff, document=_document("22/KH-UBND"),
                      files=[("ke_hoach_e.pdf", pdf("E"))])
        output_review(occurrence=e, actor=head, approve=True)
    with time_machine.travel(at(date(2025, 10, 3)), tick=False):
        output_submit(occurrence=r, actor=staff, document=_document("30/KH-UBND"),
                      files=[("ke_hoach_cuoi.pdf", pdf("final"))])
        output_review(occurrence=r, actor=head, approve=True)
    for day in (date(2025, 10, 6), date(2025, 10, 14)):
        with time_machine.travel(at(day, 7), tick=False):
            escalations_run(now=at(day, 7))
    return History(plan=plan, r=r, e=e, x=x, k=k, n=n, pkt_head=pkt_head).refresh()


def post(title: str) -> Post:
    """A post of Thanh Miện by its title."""
    return Post.objects.get(title=title, commune__slug="thanh-mien")
