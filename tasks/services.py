"""Writes for plans: importing an appendix all or nothing."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acting import acting_post_get
from audit.services import audit_record, changes
from roles.models import Commune, User
from roles.selectors import post_directory_get, unit_directory_get
from roles.services import post_create, unit_create
from roles.unitnames import post_reference_resolve, unit_canonical_name, unit_kind_guess, unit_references_resolve, name_fold
from tasks.importers.appendix import AppendixRead, appendix_read
from tasks.importers.files import FileRefused, tables_read
from tasks.importers.metadata import PlanHeading, heading_lines_read, plan_heading_read
from tasks.models import Indicator, IndicatorTarget, Plan, PlanKind, RowGroup, Task
from tasks.parsing.outputs import output_kind_classify
from tasks.parsing.targets import target_parse
from tasks.parsing.timeline import timeline_first_due, timeline_parse
from config.lazytext import message_format
from tasks.problems import ImportProblem, PlanImportFailed, message_bilingual
from workflow.calendar import calendar_build


@dataclass(frozen=True)
class PlanFile:
    name: str
    data: bytes


@dataclass
class PlanImportResult:
    plan: Plan | None
    dry_run: bool
    tasks: int
    indicators: int
    groups: int
    warnings: list[ImportProblem] = field(default_factory=list)
    six_ro: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    created_posts: list[str] = field(default_factory=list)
    page: dict = field(default_factory=dict)  # what the plan page shows, read before a dry run rolls back

    def as_json(self) -> dict:
        plan = self.plan
        return {
            "plan": None if plan is None else {
                "id": None if self.dry_run else plan.pk,
                "number_symbol": plan.number_symbol,
                "kind": plan.kind,
                "issuer": plan.issuer,
                "issued_on": plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else None,
                "title": plan.title,
                "implements": plan.implements,
                "commune": plan.commune.slug,
            },
            "dry_run": self.dry_run,
            "tasks": self.tasks,
            "indicators": self.indicators,
            "groups": self.groups,
            "warnings": [problem.as_dict() for problem in self.warnings],
            "six_ro": self.six_ro,
            "created_units": self.created_units,
            "created_posts": self.created_posts,
        }


def _problem(*, table: str = "", row: int = 0, column: str = "", message) -> ImportProblem:
    return ImportProblem(table=table, row=row, column=column, message=message)


def _problems_from_rows(rows) -> list[ImportProblem]:
    return [_problem(table=p.table, row=p.row, column=p.column, message=p.message) for p in rows]


def _files_read(*, files: list[PlanFile]) -> tuple[list, list[str]]:
    tables, lines = [], []
    for plan_file in files:
        try:
            file_tables = tables_read(data=plan_file.data, filename=plan_file.name)
        except FileRefused as refused:
            raise PlanImportFailed([_problem(table=plan_file.name, message=refused.message)]) from refused
        tables.extend(file_tables)
        lines.extend(heading_lines_read(data=plan_file.data, tables=file_tables))
    return tables, lines


def _commune_get(*, slug: str, create_missing: bool, name: str, heading_lines: list[str]) -> Commune:
    commune = Commune.objects.filter(slug=slug).first()
    if commune is not None:
        return commune
    if not create_missing:
        raise PlanImportFailed([_problem(message=message_format(
            template=_("There is no commune with the code “%(slug)s”."), slug=slug))])
    guessed = next((line.title() for line in heading_lines if line.upper().startswith(("XÃ ", "ĐẢNG ỦY XÃ "))), "")
    return Commune.objects.create(slug=slug, name=name or guessed.replace("Đảng Ủy ", "") or slug)


@dataclass
class _NameRef:
    text: str
    table: str
    row: int
    column: str


def _unit_cells(read: AppendixRead) -> list[_NameRef]:
    refs = []
    for row in read.tasks:
        refs.append(_NameRef(row.lead, row.table, row.row, "lead"))
        refs.append(_NameRef(row.supporting, row.table, row.row, "supporting"))
    for row in read.indicators:
        refs.append(_NameRef(row.monitoring, row.table, row.row, "monitoring"))
    return [ref for ref in refs if ref.text.strip()]


def _post_cells(read: AppendixRead) -> list[_NameRef]:
    refs = [_NameRef(row.directing, row.table, row.row, "directing") for row in (*read.tasks, *read.indicators)]
    return [ref for ref in refs if ref.text.strip()]


_COLUMN_LABELS = {
    "lead": _("Lead unit"),
    "supporting": _("Supporting units"),
    "monitoring": _("Monitoring unit"),
    "directing": _("Directing comrade"),
}


@dataclass(frozen=True)
class _NameKind:
    """How one kind of name (units, posts) is looked up, reported and created."""

    cells: Callable[[AppendixRead], list["_NameRef"]]
    directory_get: Callable[[Commune], object]
    unknown_of: Callable[[str, object], tuple[str, ...]]  # names in a cell that matched nothing
    create: Callable[[Commune, str], str]  # creates one, returns its name
    message: object  # a lazy template with %(name)s and %(commune)s


_UNITS = _NameKind(
    cells=lambda read: _unit_cells(read),
    directory_get=lambda commune: unit_directory_get(commune=commune),
    unknown_of=lambda text, directory: unit_references_resolve(text=text, directory=directory).unknown,
    create=lambda commune, text: _unit_create_from(commune=commune, text=text),
    message=_("“%(name)s” is not a unit of %(commune)s. Add the unit or this spelling of it first, "
              "or import with “create missing units”."),
)
_POSTS = _NameKind(
    cells=lambda read: _post_cells(read),
    directory_get=lambda commune: post_directory_get(commune=commune),
    unknown_of=lambda text, directory: post_reference_resolve(text=text, directory=directory).unknown,
    create=lambda commune, text: post_create(commune=commune, title=_post_title(text)).title,
    message=_("“%(name)s” is not a post of %(commune)s. Add the post first, or import with "
              "“create missing units”."),
)


def _unit_create_from(*, commune: Commune, text: str) -> str:
    name = unit_canonical_name(text=text)
    unit_create(commune=commune, name=name, kind=unit_kind_guess(name=name))
    return name


def _names_resolve(*, kind: _NameKind, commune: Commune, read: AppendixRead, create_missing: bool) -> list[str]:
    """Make sure every name of this kind the appendix uses exists; return the names created."""
    directory = kind.directory_get(commune)
    unknown = [_NameRef(name, ref.table, ref.row, ref.column)
               for ref in kind.cells(read) for name in kind.unknown_of(ref.text, directory)]
    if unknown and not create_missing:
        first_of_each = {name_fold(text=ref.text): ref for ref in reversed(unknown)}
        raise PlanImportFailed([
            _problem(table=ref.table, row=ref.row, column=_COLUMN_LABELS[ref.column],
                     message=message_format(template=kind.message, name=ref.text, commune=commune.name))
            for ref in sorted(first_of_each.values(), key=lambda r: (r.table, r.row))
        ])
    created = []
    for ref in unknown:
        # Look again: "Công an" finds the "Công an xã" created a row earlier.
        if kind.unknown_of(ref.text, directory):
            created.append(kind.create(commune, ref.text))
            directory = kind.directory_get(commune)
    return created


def _post_title(text: str) -> str:
    stripped = text.strip()
    for honorific in ("Đồng chí ", "đồng chí ", "Đ/c ", "đ/c "):
        if stripped.startswith(honorific):
            return stripped[len(honorific):].strip()
    return stripped


def _plan_create(*, commune: Commune, heading: PlanHeading, files: list[PlanFile], overrides: dict,
                 imported_by: User | None, warnings: list[ImportProblem]) -> Plan:
    digest = hashlib.sha256(b"".join(hashlib.sha256(f.data).digest() for f in files)).hexdigest()
    existing = Plan.objects.filter(commune=commune, source_sha256=digest).first()
    if existing is not None:
        raise PlanImportFailed([_problem(table=files[0].name, message=message_format(
            template=_("This file was already imported as plan “%(plan)s”."), plan=str(existing)))])
    values = {
        "number_symbol": heading.number_symbol,
        "kind": heading.kind or PlanKind.PARTY,
        "issuer": heading.issuer,
        "issued_on": heading.issued_on,
        "title": heading.title or files[0].name,
        "implements": list(heading.implements),
    }
    values.update({key: value for key, value in overrides.items() if value})
    if not values["number_symbol"]:
        warnings.append(_problem(table=files[0].name, message=_(
            "The plan's number is not filled in the document; add it on the plan page.")))
    return Plan.objects.create(
        commune=commune, source_name=", ".join(f.name for f in files)[:255], source_sha256=digest,
        imported_by=imported_by, import_warnings=[], **values,
    )


def _groups_create(*, plan: Plan, read: AppendixRead) -> list[RowGroup]:
    groups = [
        RowGroup(plan=plan, appendix=group.appendix, numeral=group.numeral, title=group.title,
                 position=index, source_row=group.row, milestone_year=group.milestone_year)
        for index, group in enumerate(read.groups)
    ]
    return RowGroup.objects.bulk_create(groups)


def _tasks_create(*, plan: Plan, read: AppendixRead, groups: list[RowGroup],
                  warnings: list[ImportProblem]) -> list[Task]:
    units = unit_directory_get(commune=plan.commune)
    posts = post_directory_get(commune=plan.commune)
    calendar = calendar_build()
    start = plan.issued_on or timezone.localdate()
    tasks, leads, supports = [], [], []
    for position, row in enumerate(read.tasks):
        timeline = timeline_parse(text=row.timeline)
        if timeline.kind == "unreadable":
            warnings.append(_problem(table=row.table, row=row.row, column=_("Timeline"), message=timeline.reason))
        lead = unit_references_resolve(text=row.lead, directory=units)
        support = unit_references_resolve(text=row.supporting, directory=units)
        directing = post_reference_resolve(text=row.directing, directory=posts) if row.directing.strip() else None
        tasks.append(Task(
            plan=plan, group=groups[row.group_index] if row.group_index is not None else None,
            position=position, source_row=row.row, number=row.number, name=row.name,
            directing_text=row.directing, directing_post_id=(directing.post_ids[0] if directing and directing.post_ids else None),
            lead_text=row.lead, lead_collectives=list(lead.collectives),
            supporting_text=row.supporting, supporting_collectives=list(support.collectives),
            output_text=row.output, output_kind=output_kind_classify(text=row.output),
            timeline_text=row.timeline, timeline=_timeline_stored(timeline),
            first_due_on=timeline_first_due(timeline=timeline, calendar=calendar, on_or_after=start),
        ))
        leads.append((*lead.unit_ids, *lead.collective_unit_ids))
        # A unit named as lead does not support itself; one swept in by a collective lead still
        # supports the others' occurrences ("every unit leads, the service centre supports").
        supports.append(tuple(u for u in (*support.unit_ids, *support.collective_unit_ids) if u not in lead.unit_ids))
    tasks = Task.objects.bulk_create(tasks)
    Task.lead_units.through.objects.bulk_create(
        [Task.lead_units.through(task_id=task.pk, unit_id=unit_id) for task, ids in zip(tasks, leads) for unit_id in dict.fromkeys(ids)]
    )
    Task.supporting_units.through.objects.bulk_create(
        [Task.supporting_units.through(task_id=task.pk, unit_id=unit_id) for task, ids in zip(tasks, supports) for unit_id in dict.fromkeys(ids)]
    )
    return tasks


def _timeline_stored(timeline) -> dict:
    """The parsed timeline as JSON, its reason kept in both languages (the reader picks one)."""
    stored = timeline.to_dict()
    if getattr(timeline, "reason", None):
        stored["reason"] = message_bilingual(message=timeline.reason)
    return stored


def _indicators_create(*, plan: Plan, read: AppendixRead, groups: list[RowGroup]) -> list[Indicator]:
    units = unit_directory_get(commune=plan.commune)
    posts = post_directory_get(commune=plan.commune)
    indicators, monitors, targets = [], [], []
    for position, row in enumerate(read.indicators):
        monitoring = unit_references_resolve(text=row.monitoring, directory=units)
        directing = post_reference_resolve(text=row.directing, directory=posts) if row.directing.strip() else None
        indicators.append(Indicator(
            plan=plan, group=groups[row.group_index] if row.group_index is not None else None,
            position=position, source_row=row.row, number=row.number, name=row.name,
            measurement_unit=row.measurement_unit, directing_text=row.directing,
            directing_post_id=(directing.post_ids[0] if directing and directing.post_ids else None),
            presiding_text=row.presiding, monitoring_text=row.monitoring,
            monitoring_collectives=list(monitoring.collectives), output_text=row.output,
        ))
        monitors.append((*monitoring.unit_ids, *monitoring.collective_unit_ids))
        targets.append(row.targets)
    indicators = Indicator.objects.bulk_create(indicators)
    Indicator.monitoring_units.through.objects.bulk_create([
        Indicator.monitoring_units.through(indicator_id=indicator.pk, unit_id=unit_id)
        for indicator, ids in zip(indicators, monitors) for unit_id in dict.fromkeys(ids)
    ])
    IndicatorTarget.objects.bulk_create([
        _target_build(indicator=indicator, year=year, text=text)
        for indicator, row_targets in zip(indicators, targets) for year, text in row_targets
    ])
    return indicators


def _target_build(*, indicator: Indicator, year: int, text: str) -> IndicatorTarget:
    target = target_parse(text=text, measurement_unit=indicator.measurement_unit)
    return IndicatorTarget(
        indicator=indicator, year=year, text=text[:255], kind=str(target.kind), low=target.low, high=target.high,
        unit=target.unit[:32], strive=target.strive, scope=target.scope[:255],
    )


def _import_audit(*, plan: Plan, files: list[PlanFile], actor: User | None, counts: dict,
                  created_units: list[str], created_posts: list[str]) -> None:
    audit_record(kind="imported", object_type="plan", object_id=plan.pk, commune_id=plan.commune_id, actor=actor,
                 post=acting_post_get(actor=actor), plan_id=plan.pk,
                 after={"status": plan.status, "title": plan.title, "number_symbol": plan.number_symbol},
                 detail={"files": [{"name": f.name, "sha256": hashlib.sha256(f.data).hexdigest(), "size": len(f.data)}
                                   for f in files], **counts,
                         "created_units": created_units, "created_posts": created_posts})


def plan_import(
    *,
    commune_slug: str,
    files: list[PlanFile],
    create_missing: bool = False,
    dry_run: bool = False,
    imported_by: User | None = None,
    commune_name: str = "",
    overrides: dict | None = None,
) -> PlanImportResult:
    """Import a plan's appendices from Word, Excel or CSV files: everything, or nothing and the reasons."""
    from tasks.selectors import plan_page_get  # selectors read what this service writes

    tables, heading_lines = _files_read(files=files)
    read = appendix_read(tables=tables)
    if read.errors:
        raise PlanImportFailed(_problems_from_rows(read.errors))
    from tasks.cellfit import cells_fit_problems  # issue 8: a cell too big for its column is refused by name

    if too_big := cells_fit_problems(read=read, heading_lines=heading_lines, table=files[0].name,
                                     create_missing=create_missing):
        raise PlanImportFailed(too_big)
    warnings = _problems_from_rows(read.warnings)
    with transaction.atomic():
        commune = _commune_get(slug=commune_slug, create_missing=create_missing, name=commune_name,
                               heading_lines=heading_lines)
        created_units = _names_resolve(kind=_UNITS, commune=commune, read=read, create_missing=create_missing)
        created_posts = _names_resolve(kind=_POSTS, commune=commune, read=read, create_missing=create_missing)
        plan = _plan_create(commune=commune, heading=plan_heading_read(lines=heading_lines), files=files,
                            overrides=overrides or {}, imported_by=imported_by, warnings=warnings)
        groups = _groups_create(plan=plan, read=read)
        tasks = _tasks_create(plan=plan, read=read, groups=groups, warnings=warnings)
        indicators = _indicators_create(plan=plan, read=read, groups=groups)
        plan.import_warnings = [problem.as_dict() for problem in warnings]
        plan.save(update_fields=["import_warnings"])
        _import_audit(plan=plan, files=files, actor=imported_by, counts={
            "tasks": len(tasks), "indicators": len(indicators), "groups": len(groups), "warnings": len(warnings)},
            created_units=created_units, created_posts=created_posts)
        page = plan_page_get(plan=plan)
        result = PlanImportResult(
            plan=plan, dry_run=dry_run, tasks=len(tasks), indicators=len(indicators), groups=len(groups),
            warnings=warnings, six_ro=page["summary"], rows=page["task_rows"],
            created_units=created_units, created_posts=created_posts, page=page,
        )
        if dry_run:
            transaction.set_rollback(True)
    return result


def plan_heading_update(*, plan: Plan, actor: User, number_symbol: str, issued_on, issuer: str, title: str) -> Plan:
    """Fill in what the document left blank (a plan is often imported before it is numbered)."""
    from django.core.exceptions import PermissionDenied

    from roles.policy import Action, plan_allows

    if not plan_allows(user=actor, action=Action.IMPORT_PLAN, plan=plan):
        raise PermissionDenied
    fields = ["number_symbol", "issued_on", "issuer", "title"]
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = {name: getattr(plan, name) for name in fields}
        plan.number_symbol, plan.issued_on = number_symbol.strip(), issued_on
        plan.issuer, plan.title = issuer.strip(), title.strip() or plan.title
        plan.save(update_fields=fields)
        changed_before, changed_after = changes(before=before, after={name: getattr(plan, name) for name in fields})
        audit_record(kind="heading_updated", object_type="plan", object_id=plan.pk, commune_id=plan.commune_id,
                     actor=actor, post=acting_post_get(actor=actor), plan_id=plan.pk,
                     before=changed_before, after=changed_after)
    return plan


def plan_share(*, plan: Plan, person: User, actor: User | None) -> None:
    """Let someone outside the commune read one plan (a province reviewer, say); recorded in the history."""
    _share_change(plan=plan, person=person, actor=actor, granted=True)


def plan_unshare(*, plan: Plan, person: User, actor: User | None) -> None:
    _share_change(plan=plan, person=person, actor=actor, granted=False)


def _share_change(*, plan: Plan, person: User, actor: User | None, granted: bool) -> None:
    from django.core.exceptions import PermissionDenied
    from guardian.shortcuts import assign_perm, remove_perm

    from roles.policy import Action, commune_allows

    if actor is not None and not commune_allows(user=actor, action=Action.ADMINISTER, commune=plan.commune):
        raise PermissionDenied
    with transaction.atomic():
        (assign_perm if granted else remove_perm)("tasks.view_plan", person, plan)
        audit_record(kind="granted" if granted else "revoked", object_type="plan_share", object_id=plan.pk,
                     commune_id=plan.commune_id, actor=actor, post=acting_post_get(actor=actor), plan_id=plan.pk,
                     before={} if granted else {"person": person.pk, "permission": "view_plan"},
                     after={"person": person.pk, "person_name": str(person), "permission": "view_plan"} if granted else {})
