"""The demo communes: Thanh Miện (a Party plan) and Trường Giang (a People's Committee plan).

Built from the real appendices in demo_data/, with a person in every post and one login per role.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from roles.models import Commune, Post, PostHolding, Role, RoleGrant, UnitKind, User
from roles.services import post_assign, post_create, role_grant, unit_create
from tasks.models import Plan
from tasks.services import PlanFile, plan_import
from workflow.services import plan_activate

DEMO_PASSWORD = "sauro-demo-2025"
DATA = Path(__file__).resolve().parent / "demo_data"
HOLDING_START = date(2025, 7, 1)


@dataclass(frozen=True)
class DemoUnit:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit: str | None = None
    post: str | None = None  # the post this person holds, by title


@dataclass(frozen=True)
class DemoCommune:
    slug: str
    name: str
    province: str
    plan_file: str
    units: tuple[DemoUnit, ...]
    commune_posts: tuple[str, ...]
    logins: tuple[DemoLogin, ...]
    directing_approval_kinds: tuple[str, ...] = ("decision",)


_COMMON_UNITS = (
    DemoUnit("Văn phòng Đảng ủy", UnitKind.PARTY_BODY, ("VPĐU",)),
    DemoUnit("Ban Xây dựng Đảng", UnitKind.PARTY_BODY),
    DemoUnit("Ủy ban kiểm tra Đảng ủy", UnitKind.PARTY_BODY),
    DemoUnit("Ủy ban Mặt trận Tổ quốc Việt Nam xã", UnitKind.FRONT, ("Ủy ban MTTQ Việt Nam xã",)),
    DemoUnit("Văn phòng HĐND và UBND", UnitKind.DEPARTMENT),
    DemoUnit("Phòng Văn hóa - Xã hội", UnitKind.DEPARTMENT, ("Phòng VHXH",)),
    DemoUnit("Phòng Kinh tế", UnitKind.DEPARTMENT, ("Phòng KT",)),
    DemoUnit("Trung tâm Phục vụ hành chính công", UnitKind.DEPARTMENT, ("Trung tâm Phục vụ HCC",)),
    DemoUnit("Công an xã", UnitKind.POLICE, ("Công an",)),
)


def _logins(prefix: str, names: dict[str, str]) -> tuple[DemoLogin, ...]:
    return (
        DemoLogin(f"{prefix}.vanphong", names["office"], Role.PARTY_OFFICE, "Văn phòng Đảng ủy", "Chánh Văn phòng Đảng ủy"),
        DemoLogin(f"{prefix}.truongphong", names["head"], Role.UNIT_HEAD, "Phòng Văn hóa - Xã hội", "Trưởng phòng Văn hóa - Xã hội"),
        DemoLogin(f"{prefix}.canbo", names["staff"], Role.STAFF, "Phòng Văn hóa - Xã hội"),
        DemoLogin(f"{prefix}.phoihop", names["support"], Role.STAFF, "Phòng Kinh tế"),
        DemoLogin(f"{prefix}.chidao", names["directing"], Role.DIRECTING, None, "Phó Chủ tịch UBND xã phụ trách khối VHXH"),
        DemoLogin(f"{prefix}.kiemtra", names["inspection"], Role.INSPECTION, "Ủy ban kiểm tra Đảng ủy", "Chủ nhiệm Ủy ban kiểm tra Đảng ủy"),
        DemoLogin(f"{prefix}.mattran", names["front"], Role.FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã"),
        DemoLogin(f"{prefix}.quantri", names["admin"], Role.COMMUNE_ADMIN),
    )


DEMO_COMMUNES = (
    DemoCommune(
        slug="thanh-mien", name="Xã Thanh Miện", province="Hải Phòng", plan_file="thanh_mien_phu_luc.docx",
        units=_COMMON_UNITS, directing_approval_kinds=("decision", "plan"),
        commune_posts=("Bí thư Đảng ủy", "Phó Chủ tịch UBND xã", "Phó Chủ tịch UBND xã phụ trách khối VHXH",
                       "Phó Chủ tịch UBND xã phụ trách khối Kinh tế"),
        logins=_logins("thanhmien", {
            "office": "Nguyễn Thị Lan", "head": "Trần Văn Hùng", "staff": "Phạm Thu Hà", "support": "Lê Minh Tuấn",
            "directing": "Vũ Đức Thắng", "inspection": "Đỗ Văn Bình", "front": "Hoàng Thị Mai", "admin": "Bùi Quang Huy",
        }),
    ),
    DemoCommune(
        slug="truong-giang", name="Xã Trường Giang", province="Quảng Ngãi", plan_file="truong_giang_phu_luc.docx",
        units=_COMMON_UNITS + (DemoUnit("Ngân hàng Nhà nước", UnitKind.BANK),),
        commune_posts=("Chủ tịch UBND xã", "Phó Chủ tịch UBND xã phụ trách khối VHXH"),
        logins=_logins("truonggiang", {
            "office": "Huỳnh Thị Thảo", "head": "Võ Văn Nam", "staff": "Nguyễn Thị Hồng", "support": "Trương Công Danh",
            "directing": "Phan Văn Lợi", "inspection": "Lê Thị Kim", "front": "Đặng Văn Sơn", "admin": "Ngô Thanh Tâm",
        }),
    ),
)

PROVINCE_LOGIN = DemoLogin("tinh.haiphong", "Mai Văn Khoa", Role.PROVINCE_VIEWER)


def _person_make(*, username: str, full_name: str, commune: Commune | None) -> User:
    person = User(username=username, full_name=full_name, commune=commune, email=f"{username}@demo.sauro.local")
    person.set_password(DEMO_PASSWORD)
    person.save()
    return person


def demo_commune_build(*, spec: DemoCommune) -> Commune:
    """A demo commune with its units, posts, people and roles, but no plan."""
    commune = Commune.objects.create(slug=spec.slug, name=spec.name, province=spec.province,
                                     directing_approval_kinds=list(spec.directing_approval_kinds))
    units = {u.name: unit_create(commune=commune, name=u.name, kind=u.kind, aliases=list(u.aliases)) for u in spec.units}
    for title in spec.commune_posts:
        post_create(commune=commune, title=title)
    login_posts = {login.post for login in spec.logins if login.post}
    for login in spec.logins:
        person = _person_make(username=login.username, full_name=login.full_name, commune=commune)
        role_grant(person=person, role=login.role, commune=commune, unit=units.get(login.unit) if login.unit else None)
        if login.post:
            post_assign(post=Post.objects.get(commune=commune, title=login.post), person=person, started_on=HOLDING_START)
    # Every other post gets a person too, so that each task has a named holder.
    for index, post in enumerate(Post.objects.filter(commune=commune).exclude(title__in=login_posts).order_by("title")):
        person = _person_make(username=f"{spec.slug.replace('-', '')}.post{index + 1}", full_name=post.title, commune=commune)
        post_assign(post=post, person=person, started_on=HOLDING_START)
        if post.unit_id and post.is_unit_head:
            role_grant(person=person, role=Role.UNIT_HEAD, commune=commune, unit=post.unit)
        elif post.unit_id is None:
            role_grant(person=person, role=Role.DIRECTING, commune=commune)
    return commune


def demo_reset() -> None:
    from viewflow.workflow.models import Process

    from workflow.models import Occurrence

    slugs = [spec.slug for spec in DEMO_COMMUNES]
    occurrences = Occurrence.objects.filter(commune__slug__in=slugs)
    process_ids = list(occurrences.exclude(process__isnull=True).values_list("process_id", flat=True))
    occurrences.delete()
    Process.objects.filter(pk__in=process_ids).delete()
    Plan.objects.filter(commune__slug__in=slugs).delete()
    PostHolding.objects.filter(post__commune__slug__in=slugs).delete()
    RoleGrant.objects.filter(person__commune__slug__in=slugs).delete()
    User.objects.filter(commune__slug__in=slugs).delete()
    User.objects.filter(username=PROVINCE_LOGIN.username).delete()
    Commune.objects.filter(slug__in=slugs).delete()


@transaction.atomic
def demo_load(*, reset: bool) -> list[tuple[str, str, str]]:
    """Load the demo communes; return (username, role, commune) for each login."""
    if reset:
        demo_reset()
    elif Commune.objects.filter(slug__in=[spec.slug for spec in DEMO_COMMUNES]).exists():
        raise ValueError("The demo communes exist already: use --reset to load them again.")
    logins = []
    for spec in DEMO_COMMUNES:
        commune = demo_commune_build(spec=spec)
        plan_file = DATA / spec.plan_file
        plan = plan_import(commune_slug=commune.slug,
                           files=[PlanFile(name=plan_file.name, data=plan_file.read_bytes())]).plan
        plan_activate(plan=plan, actor=None)
        logins += [(login.username, str(Role(login.role).label), commune.name) for login in spec.logins]
    province = _person_make(username=PROVINCE_LOGIN.username, full_name=PROVINCE_LOGIN.full_name, commune=None)
    role_grant(person=province, role=Role.PROVINCE_VIEWER, province="Hải Phòng")
    logins.append((province.username, str(Role.PROVINCE_VIEWER.label), "Hải Phòng"))
    return logins
