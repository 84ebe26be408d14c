"""Communes (tenants), their units, posts, who holds each post, and people's roles."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Commune(models.Model):
    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province or city"), max_length=200, blank=True)
    # The commune's policy: outputs of these kinds also need the directing comrade's approval.
    directing_approval_kinds = models.JSONField(_("outputs the directing comrade approves"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    PARTY_BODY = "party_body", _("Party body")
    DEPARTMENT = "department", _("People's Committee department")
    POLICE = "police", _("Police")
    FRONT = "front", _("Fatherland Front")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
    PARTY_CELL = "party_cell", _("Party cell")
    SCHOOL = "school", _("School")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Other")


class Unit(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    # The other spellings this commune uses for the unit ("Phòng VHXH", "Phòng Văn hóa-Xã hội").
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["commune", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="unit_unique_name_per_commune")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("commune")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username


class Post(models.Model):
    """A post (chức vụ): tasks name posts, not people, so work stays with the post."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="posts")
    title = models.CharField(_("title"), max_length=255)
    is_unit_head = models.BooleanField(_("heads its unit"), default=False)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["commune", "title"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "title"], name="post_unique_title_per_commune"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_unit_head=True), name="post_one_head_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PostHolding(models.Model):
    """Who held a post from when to when; `ended_on` is empty while the person still holds it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="holdings")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("post holding")
        verbose_name_plural = _("post holdings")
        ordering = ["post", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(ended_on__isnull=True), name="holding_one_current_per_post"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="holding_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.post}"


class Role(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Unit head")
    STAFF = "staff", _("Staff")
    DIRECTING = "directing", _("Directing comrade")
    PARTY_OFFICE = "party_office", _("Party Office")
    INSPECTION = "inspection", _("Inspection Committee")
    FRONT = "front", _("Fatherland Front")
    COMMUNE_ADMIN = "commune_admin", _("Commune administrator")
    PROVINCE_VIEWER = "province_viewer", _("Province viewer")


class RoleGrant(models.Model):
    """A role a person has in a commune, and for unit roles, in which unit."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants")
    province = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "commune", "unit", "role"], name="rolegrant_unique"),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()}"
