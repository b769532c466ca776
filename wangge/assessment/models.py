"""Models of the assessment app: schemes as data, runs with frozen scores, year end, wage bands.

A ``Scheme`` is a versioned tree of ``Indicator`` rows with points. ``assess`` makes an
``AssessmentRun`` per scheme and period, with one ``Score`` per subject and leaf indicator and a
``RunResult`` per subject (total and rank). A published run never changes; ``correct`` makes the
next version as a new draft. See services.py for the rules.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import Community
from wangge.people.models import RoleKind


class Subject(models.TextChoices):
    COMMUNITY = "community", _("community")
    STAFF = "staff", _("staff (by role)")
    UNIT = "unit", _("subdistrict office")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    YEARLY = "yearly", _("yearly")


class Scheme(TimeStampedModel):
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    role = models.CharField(
        _("staff role"),
        max_length=20,
        choices=RoleKind.choices,
        blank=True,
        help_text=_("For staff schemes: the role whose staff are assessed."),
    )
    period = models.CharField(_("period"), max_length=8, choices=Cadence.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    total_points = models.DecimalField(
        _("total points"), max_digits=6, decimal_places=2, default=Decimal("100")
    )
    valid_from = models.DateField(_("valid from"))
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["subject", "role", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessment_scheme_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("computed from the data")
    MANUAL = "manual", _("scored by the assessment group")
    DEDUCTION = "deduction", _("deduction per occurrence (computed)")


class Indicator(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    source = models.CharField(
        _("computation"),
        max_length=60,
        blank=True,
        help_text=_("A key of wangge/assessment/computations.py (computed and deduction items)."),
    )
    curve = models.JSONField(
        _("curve"),
        default=dict,
        blank=True,
        help_text=_(
            'How the value becomes points, e.g. {"type": "linear", "zero_at": 0.6, "full_at": 1},'
            ' {"type": "inverse"}, {"type": "per_unit", "points": 1}; "empty": "full" or "zero"'
            " when there is nothing to measure."
        ),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.max_points})"


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class AssessmentRun(TimeStampedModel):
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="runs"
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM or YYYY"))
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    correction_of = models.ForeignKey(
        "self",
        verbose_name=_("correction of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.TextField(_("reason for the correction"), blank=True)

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-period", "scheme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period", "version"], name="assessment_run_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period} v{self.version} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == RunStatus.PUBLISHED


class Score(models.Model):
    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="scores"
    )
    subject_type = models.CharField(_("subject type"), max_length=16, choices=Subject.choices)
    subject_id = models.PositiveIntegerField(_("subject id"))
    subject_name = models.CharField(_("subject"), max_length=100)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["run", "subject_name", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "subject_id", "indicator"], name="assessment_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.indicator.code}: {self.points}"


class RunResult(models.Model):
    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results"
    )
    subject_id = models.PositiveIntegerField(_("subject id"))
    subject_name = models.CharField(_("subject"), max_length=100)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        verbose_name = _("run result")
        verbose_name_plural = _("run results")
        ordering = ["run", "rank", "subject_name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "subject_id"], name="assessment_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.subject_name} {self.total}"


class YearEndRule(models.Model):
    """The year-end thresholds (one row, pk 1): rewarded top N, bottom N and their deduction."""

    top_n = models.PositiveSmallIntegerField(_("rewarded: top N"), default=3)
    bottom_n = models.PositiveSmallIntegerField(_("deducted: bottom N"), default=2)
    deduction_percent = models.DecimalField(
        _("deduction (percent of the bonus)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
    )

    class Meta:
        verbose_name = _("year-end rule")
        verbose_name_plural = _("year-end rules")

    def __str__(self) -> str:
        return f"top {self.top_n}, bottom {self.bottom_n} −{self.deduction_percent}%"

    @classmethod
    def load(cls) -> YearEndRule:
        rule, _created = cls.objects.get_or_create(pk=1)
        return rule


class CommunityBonus(models.Model):
    """The subdistrict's target-management bonus (目标管理绩效考核兑现奖) of a community, yuan."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("community bonus")
        verbose_name_plural = _("community bonuses")
        ordering = ["-year", "community"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="assessment_bonus_once")
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}: {self.amount}"


class YearEndResult(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    community_name = models.CharField(_("community"), max_length=100)
    months = models.PositiveSmallIntegerField(_("published months"))
    mean_total = models.DecimalField(_("mean monthly total"), max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    rewarded = models.BooleanField(_("rewarded"), default=False)
    deducted = models.BooleanField(_("deducted"), default=False)
    bonus = models.DecimalField(
        _("bonus (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deduction = models.DecimalField(
        _("deduction (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("year-end result")
        verbose_name_plural = _("year-end results")
        ordering = ["-year", "rank", "community_name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "community"], name="assessment_yearend_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.rank}. {self.community_name}"


class WageRole(models.TextChoices):
    COMMUNITY_WORKER = RoleKind.COMMUNITY_WORKER.value, RoleKind.COMMUNITY_WORKER.label
    ENFORCER = RoleKind.ENFORCER.value, RoleKind.ENFORCER.label


class WageBase(models.Model):
    """The monthly base performance wage of a role (yuan), multiplied by the band's coefficient."""

    role = models.CharField(_("role"), max_length=20, choices=WageRole.choices, unique=True)
    amount = models.DecimalField(_("base performance wage (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("base performance wage")
        verbose_name_plural = _("base performance wages")

    def __str__(self) -> str:
        return f"{self.role}: {self.amount}"


class WageBand(models.Model):
    """A score band: a monthly total of at least ``min_score`` earns ``coefficient`` × the base.

    The band of a score is the one with the highest ``min_score`` not above it.
    """

    role = models.CharField(_("role"), max_length=20, choices=WageRole.choices)
    min_score = models.DecimalField(_("from score"), max_digits=6, decimal_places=2)
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)
    label = models.CharField(_("label"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("wage band")
        verbose_name_plural = _("wage bands")
        ordering = ["role", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["role", "min_score"], name="assessment_band_once")
        ]

    def __str__(self) -> str:
        return f"{self.role} ≥{self.min_score}: ×{self.coefficient}"
