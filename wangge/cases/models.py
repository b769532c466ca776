"""Cases: the eight-step closed loop (八步工作流程), one record from report to assessment.

The workflow itself (which action moves a case from which state to which, who may take it,
what it needs) is the transition table in workflow.py; services.act() is the only writer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.models import TimeStampedModel
from wangge.org.models import Community, Grid, HandlingUnit, Subdistrict
from wangge.people.models import LeaderPost, Person, RoleKind


class CategoryKind(models.TextChoices):
    COMPONENT = "component", _("component (部件)")
    EVENT = "event", _("event (事件)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class TimeUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


class DispatchTarget(models.TextChoices):
    """Where a case goes by default (属地管理: the case's own grid or community decides which)."""

    GRID_TEAM = "grid_team", _("the grid's five-role team")
    WORKSTATION = "workstation", _("the community workstation")
    UNIT = "unit", _("a handling unit")


class Category(TimeStampedModel):
    """A class in the 部件/事件 scheme with its filing and closing standard (立案结案标准)."""

    kind = models.CharField(_("kind"), max_length=16, choices=CategoryKind.choices)
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]{2,16}$", _("Use digits, capitals and dashes."))],
        help_text=_("Official codes as in the standard (e.g. 0101); local ones start with L."),
    )
    official = models.BooleanField(
        _("official code"), default=False, help_text=_("The code is confirmed by the standard.")
    )
    major_code = models.CharField(_("major class code"), max_length=4, blank=True)
    major_name = models.CharField(_("major class"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Other words people use for it.")
    )
    filing_condition = models.TextField(_("filing condition (立案条件)"), blank=True)
    closing_condition = models.TextField(_("closing condition (结案条件)"), blank=True)
    time_limit = models.PositiveIntegerField(
        _("handling time limit"), validators=[MinValueValidator(1)]
    )
    time_unit = models.CharField(
        _("time unit"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_HOURS
    )
    urgent_time_limit_hours = models.PositiveIntegerField(
        _("time limit when urgent (working hours)"), null=True, blank=True
    )
    urgency = models.CharField(
        _("default urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    default_target = models.CharField(
        _("dispatched to by default"),
        max_length=16,
        choices=DispatchTarget.choices,
        default=DispatchTarget.WORKSTATION,
    )
    default_unit_name = models.CharField(
        _("default handling unit"),
        max_length=100,
        blank=True,
        help_text=_("Name of the handling unit when dispatched to a unit."),
    )
    duty_role = models.CharField(
        _("role on duty"),
        max_length=20,
        choices=RoleKind.choices,
        blank=True,
        help_text=_("The five-role member whose duty this problem is (for linkage)."),
    )
    active = models.BooleanField(_("active"), default=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the standard comes from.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["kind", "major_code", "major_name", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CaseStatus(models.TextChoices):
    """The eight-step closed loop, as states (glossary)."""

    REPORTED = "reported", _("reported")
    REJECTED = "rejected", _("rejected")
    FILED = "filed", _("filed")
    DISPATCHED = "dispatched", _("dispatched")
    HANDLING = "handling", _("handling")
    SUSPENDED = "suspended", _("suspended")
    HANDLED = "handled", _("handled")
    CLOSED = "closed", _("closed")
    EVALUATED = "evaluated", _("evaluated")
    ASSESSED = "assessed", _("assessed")
    SELF_HANDLED = "self_handled", _("self-handled on the spot")


OPEN_STATUSES = (
    CaseStatus.REPORTED,
    CaseStatus.FILED,
    CaseStatus.DISPATCHED,
    CaseStatus.HANDLING,
    CaseStatus.SUSPENDED,
    CaseStatus.HANDLED,
)


class CaseSource(models.TextChoices):
    SUPERVISOR = "supervisor", _("supervisor patrol")
    FIVE_ROLES = "five_roles", _("five-role report")
    PUBLIC = "public", _("public report")
    HOTLINE_12345 = "hotline_12345", _("hotline 12345")
    HOTLINE_12319 = "hotline_12319", _("hotline 12319")
    DISTRICT = "district", _("dispatched by the district centre")
    VIDEO = "video", _("video surveillance")
    LEADER = "leader", _("leader's instruction")

    @classmethod
    def needs_verification(cls, source: str) -> bool:
        """Public and hotline reports are checked on site by the supervisor before filing."""
        return source in (cls.PUBLIC, cls.HOTLINE_12345, cls.HOTLINE_12319)


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(TimeStampedModel):
    number = models.CharField(_("case number"), max_length=24, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    # Bumped by every change: services compare-and-set on it, so a lost race is a conflict.
    version = models.PositiveIntegerField(_("version"), default=0)

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    description = models.TextField(_("description"))
    lon = models.DecimalField(_("longitude"), max_digits=10, decimal_places=7)
    lat = models.DecimalField(_("latitude"), max_digits=10, decimal_places=7)
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="cases"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="cases"
    )
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("subdistrict"), on_delete=models.PROTECT, related_name="cases"
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)

    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    tier = models.PositiveSmallIntegerField(
        _("tier"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    tier_reason = models.TextField(_("why this tier"), blank=True)
    facts = models.JSONField(
        _("facts for the tier"),
        default=dict,
        blank=True,
        help_text=_("Heavy machinery, enforcement, offices and departments involved, …"),
    )
    leader_post = models.ForeignKey(
        LeaderPost,
        verbose_name=_("leader in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )

    dispatch_target = models.CharField(
        _("dispatched to"), max_length=16, choices=DispatchTarget.choices, blank=True
    )
    handling_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    handler = models.ForeignKey(
        Person,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
    )

    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    verified_report_at = models.DateTimeField(_("report verified at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    assessed_period = models.CharField(_("assessed in month"), max_length=7, blank=True)

    handling_due_at = models.DateTimeField(_("handling due at"), null=True, blank=True)
    # Due time of the step the case waits for now (verify the report, file, dispatch, handle,
    # verify the result), in working time: the queues flag a case whose step is late.
    step_due_at = models.DateTimeField(_("current step due at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    suspended_since = models.DateTimeField(_("suspended since"), null=True, blank=True)
    # The clock stops while suspended: total suspended time pushes the due time out.
    suspended_seconds = models.PositiveIntegerField(_("time suspended (s)"), default=0)
    status_before_suspension = models.CharField(
        _("state before suspension"), max_length=16, blank=True
    )
    # Working time left until the due time when the case was suspended; resuming restarts it.
    remaining_seconds_at_suspension = models.IntegerField(
        _("time left when suspended (s)"), null=True, blank=True
    )

    on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    return_count = models.PositiveSmallIntegerField(_("returns"), default=0)
    pending_extension_hours = models.PositiveIntegerField(
        _("extension requested (hours)"), null=True, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("reporter's satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    is_key = models.BooleanField(_("key case (重点案件)"), default=False)
    key_reason = models.CharField(_("why key"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=100, null=True, blank=True, unique=True
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-id"]
        indexes = [
            # The centre's queues and every list filter by status, newest first.
            models.Index(fields=["status", "reported_at"], name="case_queue"),
            # Rates per grid and month.
            models.Index(fields=["grid", "reported_at"], name="case_grid_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__isnull=True) | Q(tier__gte=1, tier__lte=6),
                name="case_tier_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def self_handled(self) -> bool:
        return self.status == CaseStatus.SELF_HANDLED

    def overdue_at(self, now: dt.datetime) -> bool:
        """Past its handling due time and not handled yet (the clock stops while suspended)."""
        if self.handling_due_at is None or self.status not in (
            CaseStatus.DISPATCHED,
            CaseStatus.HANDLING,
        ):
            return False
        return now > self.handling_due_at


class CaseEvent(models.Model):
    """One step in a case's life: append-only, never changed or deleted."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(pgettext_lazy("status", "from"), max_length=16, blank=True)
    to_status = models.CharField(pgettext_lazy("status", "to"), max_length=16)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.action} {self.from_status}→{self.to_status}"


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("before")
    AFTER = "after", _("after")
    VERIFY = "verify", _("verification")


def _photo_path(instance: CasePhoto, filename: str) -> str:
    return f"cases/{instance.case.reported_at:%Y/%m}/{instance.case.number}/{filename}"


class CasePhoto(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        CaseEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PhotoKind.choices)
    # Content is checked by services.validate_image (Pillow) before it is stored.
    image = models.ImageField(_("image"), upload_to=_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class WorkPeriod(models.Model):
    """Working hours of a working day (e.g. 09:00–12:00 and 13:30–17:30)."""

    start = models.TimeField(pgettext_lazy("working hours", "from"))
    end = models.TimeField(pgettext_lazy("working hours", "to"))

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="work_period_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        """Working periods may not overlap: the calendar would count the shared time twice."""
        if self.start is None or self.end is None or self.end <= self.start:
            return
        clash = (
            WorkPeriod.objects.exclude(pk=self.pk)
            .filter(start__lt=self.end, end__gt=self.start)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("This period overlaps the working period %(period)s.") % {"period": clash}
            )


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday, or a weekend day worked instead."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        WORKDAY = "workday", _("adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class TierRule(models.Model):
    """Tier → the leader level that takes charge (the seed's six categories), as data."""

    tier = models.PositiveSmallIntegerField(
        _("tier"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("when"), blank=True)
    leader_level = models.CharField(_("leader level in charge"), max_length=16, blank=True)
    closed_loop = models.BooleanField(
        _("goes through the closed loop"),
        default=True,
        help_text=_("Tier 1 is fixed on the spot and skips filing and dispatch."),
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["tier"]

    def __str__(self) -> str:
        return f"{self.tier} {self.name}"


class StepLimit(models.Model):
    """Working-time limits of the steps other than handling (handling comes from the category)."""

    class Step(models.TextChoices):
        VERIFY_REPORT = "verify_report", _("verify a public report")
        FILE = "file", _("file")
        DISPATCH = "dispatch", _("dispatch")
        VERIFY = "verify", _("verify the result")

    step = models.CharField(_("step"), max_length=16, choices=Step.choices, unique=True)
    hours = models.PositiveIntegerField(_("working hours"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("step time limit")
        verbose_name_plural = _("step time limits")

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.hours} h"


class Oversight(TimeStampedModel):
    """An oversight order on a key case (重点案件督办): which unit, by when, what is demanded."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="oversights"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oversights",
    )
    deadline = models.DateTimeField(_("deadline"))
    demand = models.TextField(_("demand"))
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("oversight order")
        verbose_name_plural = _("oversight orders")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case}: {self.demand[:40]}"


class OversightReply(models.Model):
    oversight = models.ForeignKey(
        Oversight,
        verbose_name=_("oversight order"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    # The action's time (the demo replays past years), not the moment the row is written.
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("reply"))

    class Meta:
        verbose_name = _("oversight reply")
        verbose_name_plural = _("oversight replies")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Instruction(models.Model):
    """A leader's instruction on a case (批示)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="instructions"
    )
    leader_post = models.ForeignKey(
        LeaderPost, verbose_name=_("leader"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The action's time (the demo replays past years), not the moment the row is written.
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("instruction"))

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class JointMeeting(models.Model):
    """The joint meeting a level-1 leader convenes on a tier-5 case (联席会议)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"))
    decisions = models.TextField(_("decisions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date}"
