"""People, their roles in the grids (五员), the staffing standard and the grid-leader chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import (
    Community,
    District,
    Grid,
    GridCenter,
    HandlingUnit,
    Subdistrict,
    Workstation,
)


class RoleKind(models.TextChoices):
    """The five roles (五员) staffed in every grid."""

    SUPERVISOR = "supervisor", _("grid supervisor")
    ENFORCER = "enforcer", _("enforcement officer")
    SANITATION = "sanitation", _("sanitation worker")
    POLICE = "police", _("community police officer")
    COMMUNITY_WORKER = "community_worker", _("community worker")


class Employment(models.TextChoices):
    PERMANENT = "permanent", _("permanent")
    CONTRACT = "contract", _("contract")
    TEMPORARY = "temporary", _("temporary hire")


class PersonQuerySet(models.QuerySet["Person"]):
    def active_on(self, day: dt.date) -> PersonQuerySet:
        return self.filter(Q(start_date__lte=day) | Q(start_date__isnull=True)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Person(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 -]{5,20}$", _("Enter a phone number of digits."))],
    )
    employment = models.CharField(
        _("employment"), max_length=16, choices=Employment.choices, default=Employment.CONTRACT
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Where a person works when it is not a grid: the centre's operators, a workstation's staff.
    center = models.ForeignKey(
        GridCenter,
        verbose_name=_("grid centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    handling_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    external_key = models.CharField(
        _("external key"),
        max_length=64,
        blank=True,
        help_text=_("Identifier in another system (HR, the demo builder); unique when set."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="person_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~Q(external_key=""),
                name="person_external_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GridRoleQuerySet(models.QuerySet["GridRole"]):
    def active_on(self, day: dt.date) -> GridRoleQuerySet:
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class GridRole(TimeStampedModel):
    """A person's assignment to one of the five roles in a grid, from–to.

    Assignments are never overwritten: a change ends one row and starts another, so the
    history of who answered for a grid on any day is kept.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="roles"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    objects = GridRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid role")
        verbose_name_plural = _("grid roles")
        ordering = ["grid__code", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="grid_role_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=[c.value for c in RoleKind]), name="grid_role_known_role"
            ),
        ]
        indexes = [
            # "Who is on this grid's roster today": the roster and the staffing-gap view.
            models.Index(fields=["grid", "role", "end_date"], name="grid_role_roster"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.grid}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Reassignable(models.Model):
    """A piece of work addressed to one person that a hand-over can give to a successor
    (a linkage call, an alert delivery): it keeps whom it came from, when, and who moved it."""

    # Declared by each subclass (a call's person may be empty when it went to a leader's post).
    person: Any
    user: Any
    reassigned_from = models.ForeignKey(
        Person,
        verbose_name=_("reassigned from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reassigned_at = models.DateTimeField(_("reassigned at"), null=True, blank=True)
    reassigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reassigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def reassign(self, *, successor: Person, by_user: Any, at: dt.datetime) -> None:
        """Address it to the successor (and their login), noting who had it."""
        self.reassigned_from = self.person
        self.person = successor
        self.user = successor.user
        self.reassigned_at = at
        self.reassigned_by = by_user if getattr(by_user, "pk", None) else None
        fields = ["person", "user", "reassigned_from", "reassigned_at", "reassigned_by"]
        if hasattr(self, "updated_at"):
            fields.append("updated_at")
        self.save(update_fields=fields)


class StaffingStandard(models.Model):
    """How many people of a role each base grid should have (the seed's 1/2/2/1/1)."""

    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices, unique=True)
    per_grid = models.PositiveSmallIntegerField(
        _("people per grid"), validators=[MinValueValidator(0)]
    )
    duties = models.TextField(
        _("duties"),
        blank=True,
        help_text=_(
            "What people in this role are responsible for; the annual self-evaluation"
            " report prints it."
        ),
    )

    class Meta:
        verbose_name = _("staffing standard")
        verbose_name_plural = _("staffing standards")
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.per_grid}"


class LeaderLevel(models.TextChoices):
    """The grid-leader chain (网格长责任制) and the tier each level takes charge of."""

    CHIEF = "chief", _("chief grid leader")
    LEVEL1 = "level1", _("level-1 grid leader")
    LEVEL1_DEPUTY = "level1_deputy", _("level-1 deputy grid leader")
    LEVEL2 = "level2", _("level-2 grid leader")
    LEVEL3 = "level3", _("level-3 grid leader")
    LEVEL4 = "level4", _("level-4 grid leader")


# Which kind of unit each level may lead. The seed: chief, level-1 and level-2 leaders answer
# for the whole subdistrict; level-3 (subdistrict leadership) for communities or grids;
# level-4 (community secretary and director) for their community or its grids.
LEVEL_UNITS: dict[str, tuple[str, ...]] = {
    LeaderLevel.CHIEF: ("district", "subdistrict"),
    LeaderLevel.LEVEL1: ("district", "subdistrict"),
    LeaderLevel.LEVEL1_DEPUTY: ("district", "subdistrict"),
    LeaderLevel.LEVEL2: ("subdistrict",),
    LeaderLevel.LEVEL3: ("subdistrict", "community", "grid"),
    LeaderLevel.LEVEL4: ("community", "grid"),
}


class LeaderPost(TimeStampedModel):
    """A post in the grid-leader chain, tied to the unit it leads and the person holding it."""

    level = models.CharField(_("level"), max_length=16, choices=LeaderLevel.choices)
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("e.g. district head, party secretary")
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leader_posts",
        help_text=_("Empty while the post is vacant."),
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        verbose_name=_("subdistrict"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leader_posts",
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leader_posts",
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leader_posts",
    )
    department = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leader_posts",
        help_text=_("For a level-1 deputy: the district department they head."),
    )

    class Meta:
        verbose_name = _("leader post")
        verbose_name_plural = _("leader posts")
        ordering = ["level", "id"]
        constraints = [
            # Exactly one unit is led.
            models.CheckConstraint(
                condition=(
                    Q(
                        district__isnull=False,
                        subdistrict__isnull=True,
                        community__isnull=True,
                        grid__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        subdistrict__isnull=False,
                        community__isnull=True,
                        grid__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        subdistrict__isnull=True,
                        community__isnull=False,
                        grid__isnull=True,
                    )
                    | Q(
                        district__isnull=True,
                        subdistrict__isnull=True,
                        community__isnull=True,
                        grid__isnull=False,
                    )
                ),
                name="leader_post_one_unit",
                violation_error_message=_(
                    "A leader post leads exactly one unit: a district, a subdistrict,"
                    " a community or a grid."
                ),
            ),
        ]

    def __str__(self) -> str:
        holder = self.person.name if self.person else _("vacant")
        return f"{self.get_level_display()} · {self.unit} · {holder}"

    def clean(self) -> None:
        """A post may lead only the kinds of unit its level allows (LEVEL_UNITS)."""
        kind = self.unit_kind
        allowed = LEVEL_UNITS.get(self.level, ())
        if kind and kind not in allowed:
            raise ValidationError(
                {
                    kind: _("A %(level)s leads a %(allowed)s, not a %(kind)s.")
                    % {
                        "level": self.get_level_display(),
                        "allowed": " / ".join(str(_(a)) for a in allowed),
                        "kind": _(kind),
                    }
                }
            )
        if self.department_id and self.level != LeaderLevel.LEVEL1_DEPUTY:
            raise ValidationError(
                {"department": _("Only a level-1 deputy grid leader heads a department.")}
            )

    @property
    def unit_kind(self) -> str:
        for kind in ("district", "subdistrict", "community", "grid"):
            if getattr(self, f"{kind}_id"):
                return kind
        return ""

    @property
    def unit(self) -> District | Subdistrict | Community | Grid | None:
        kind = self.unit_kind
        return getattr(self, kind) if kind else None


class ApiToken(models.Model):
    """A bearer token for devices and other systems; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(
        _("prefix"), max_length=8, help_text=_("First characters, to tell tokens apart.")
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}…"
