"""Who a rung tells, for the sweeps of occurrences and of indicator figures: read once per rung."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from roles.models import PostHolding, Role, RoleGrant


class RungRecipients:
    """Today's holders of the rows' unit-head and directing posts and the communes' Party Office and
    Inspection, in a fixed number of queries. `directing_key` names the row's directing post field."""

    def __init__(self, *, rows: list[dict], today: date, directing_key: str):
        self.directing_key = directing_key
        units = {row["unit_id"] for row in rows}
        posts = {row[directing_key] for row in rows if row[directing_key]}
        communes = {row["commune_id"] for row in rows}
        current = PostHolding.objects.filter(started_on__lte=today).exclude(ended_on__lt=today)
        self.head = dict(current.filter(post__unit_id__in=units, post__is_unit_head=True)
                         .values_list("post__unit_id", "person_id"))
        self.directing = dict(current.filter(post_id__in=posts).values_list("post_id", "person_id"))
        self.by_role: dict[tuple[int, str], list[int]] = defaultdict(list)
        grants = RoleGrant.objects.filter(commune_id__in=communes, role__in=[Role.PARTY_OFFICE, Role.INSPECTION],
                                          person__is_active=True)
        for commune_id, role, person_id in grants.values_list("commune_id", "role", "person_id"):
            self.by_role[(commune_id, role)].append(person_id)

    def of(self, *, row: dict, who: str, person: int | None) -> list[int]:
        """`person` is who answers for the row by its own rule; nobody yet means the unit head."""
        head = self.head.get(row["unit_id"])
        if who == "person":
            chosen = person or head
            return [chosen] if chosen else []
        if who == "unit_head":
            return [head] if head else []
        if who == "directing":
            holder = self.directing.get(row[self.directing_key])
            return [holder] if holder else []
        if who in ("party_office", "inspection"):
            return self.by_role[(row["commune_id"], who)]
        return []
