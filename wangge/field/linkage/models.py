"""Models of the linkage app (五员联动): which role a problem belongs to, and the calls made.

The seed (三.5 五员驱动): police who see litter call the sanitation worker; a sanitation worker
who sees a public-security problem calls the police; an enforcer who sees illegal parking calls
the police; police who see street vending call the enforcer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.cases.models import Case, Category, CategoryKind
from wangge.core.models import TimeStampedModel
from wangge.org.models import Grid
from wangge.people.models import LeaderPost, Person, Reassignable, RoleKind


class LinkageRules(models.Model):
    """The linkage policy numbers (one row, editable in the admin)."""

    arrival_radius_m = models.PositiveIntegerField(
        _("arrival radius (m)"),
        default=200,
        validators=[MinValueValidator(1)],
        help_text=_("A called person has arrived when their position is this close to the case."),
    )
    max_report_age_minutes = models.PositiveIntegerField(
        _("call only for reports younger than (minutes)"),
        default=24 * 60,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A report that reaches the platform later than this after the problem was seen"
            " (a phone offline for days, an import of old records) calls nobody."
        ),
    )

    class Meta:
        verbose_name = _("linkage rules")
        verbose_name_plural = _("linkage rules")

    def __str__(self) -> str:
        return str(_("Linkage rules"))

    @classmethod
    def load(cls) -> LinkageRules:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class LinkageRule(TimeStampedModel):
    """A category, or a category group (kind + major class code), is the duty of a role.

    Several active rules may match a category: each names one responsible role.
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="linkage_rules",
    )
    kind = models.CharField(
        _("category kind"), max_length=16, choices=CategoryKind.choices, blank=True
    )
    major_code = models.CharField(
        _("major class code"),
        max_length=4,
        blank=True,
        help_text=_("With the kind: every category of this group, e.g. event 07 (public order)."),
    )
    role = models.CharField(_("responsible role"), max_length=20, choices=RoleKind.choices)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("Why: e.g. the seed example it follows.")
    )

    class Meta:
        verbose_name = _("linkage rule")
        verbose_name_plural = _("linkage rules")
        ordering = ["role", "kind", "major_code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(category__isnull=False) & Q(major_code=""))
                | (Q(category__isnull=True) & ~Q(major_code="") & ~Q(kind="")),
                name="linkage_rule_category_or_group",
                violation_error_message=_(
                    "A rule matches either one category, or a group (kind and major class code)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=[c.value for c in RoleKind]), name="linkage_rule_known_role"
            ),
        ]

    def __str__(self) -> str:
        if self.category_id:
            target = str(self.category)
        else:
            target = f"{self.get_kind_display()} {self.major_code}"
        return f"{target} → {self.get_role_display()}"

    def clean(self) -> None:
        if self.category_id and (self.major_code or self.kind):
            raise ValidationError(
                _("A rule matches either one category, or a group (kind and major class code).")
            )
        if not self.category_id and not (self.major_code and self.kind):
            raise ValidationError(
                _("Choose a category, or a kind and a major class code for a group.")
            )


class CallStatus(models.TextChoices):
    # A context of their own: "handled" of a case (已反馈) is not "handled" of a call (已处置).
    CALLED = "called", pgettext_lazy("linkage call", "called")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("linkage call", "acknowledged")
    ARRIVED = "arrived", pgettext_lazy("linkage call", "arrived")
    HANDLED = "handled", pgettext_lazy("linkage call", "handled")
    CANCELLED = "cancelled", pgettext_lazy("linkage call", "cancelled")


OPEN_STATUSES = (CallStatus.CALLED, CallStatus.ACKNOWLEDGED, CallStatus.ARRIVED)


class LinkageCall(Reassignable, TimeStampedModel):
    """One role calling another about a case: who was called, and when each step happened."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="linkage_calls"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="linkage_calls"
    )
    role = models.CharField(_("role called"), max_length=20, choices=RoleKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person called"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="linkage_calls",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user called"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linkage_calls",
    )
    to_leader = models.BooleanField(
        _("to the grid leader"),
        default=False,
        help_text=_("Nobody of the role was on duty, so the grid's level-3 leader was called."),
    )
    leader_post = models.ForeignKey(
        LeaderPost,
        verbose_name=_("leader post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.CALLED
    )
    called_at = models.DateTimeField(_("called at"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrival_lon = models.DecimalField(
        _("arrival longitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    arrival_lat = models.DecimalField(
        _("arrival latitude"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    arrival_distance_m = models.PositiveIntegerField(
        _("distance at arrival (m)"), null=True, blank=True
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("linkage call")
        verbose_name_plural = _("linkage calls")
        ordering = ["-called_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role", "person"],
                condition=Q(person__isnull=False),
                name="linkage_call_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["case", "role", "user"],
                condition=Q(person__isnull=True, user__isnull=False),
                name="linkage_call_once_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="linkage_call_inbox"),
            models.Index(fields=["grid", "called_at"], name="linkage_call_grid_time"),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person else str(self.user or "—")
        return f"{self.case.number} → {self.get_role_display()} {who}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
