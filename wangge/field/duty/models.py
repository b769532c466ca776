"""Being on duty (在岗): sign-on/sign-off sessions, and what the day summaries are built from."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import Grid
from wangge.people.models import GridRole, Person, RoleKind


class DutySessionQuerySet(models.QuerySet["DutySession"]):
    def open(self) -> DutySessionQuerySet:
        return self.filter(ended_at__isnull=True)


class DutySession(TimeStampedModel):
    """From sign-on to sign-off: a person on duty in one of their roles in one grid."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="duty_sessions"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="duty_sessions"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    started_at = models.DateTimeField(_("signed on at"))
    ended_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    start_lon = models.DecimalField(
        _("longitude at sign-on"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    start_lat = models.DecimalField(
        _("latitude at sign-on"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    end_lon = models.DecimalField(
        _("longitude at sign-off"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    end_lat = models.DecimalField(
        _("latitude at sign-off"), max_digits=10, decimal_places=7, null=True, blank=True
    )
    # The device's id for the sign-on, so a retried request does not open a second session.
    client_id = models.CharField(_("client id"), max_length=64)

    objects = DutySessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty session")
        verbose_name_plural = _("duty sessions")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "client_id"], name="duty_session_client_id"),
            # One open session per person: signing on twice is a retry, not a second shift.
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="duty_session_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="duty_session_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["grid", "role", "ended_at"], name="duty_on_now")]

    def __str__(self) -> str:
        return f"{self.person} · {self.grid} · {self.started_at:%Y-%m-%d %H:%M}"


RULES_CACHE_SECONDS = 10.0
_RULES_CACHE: dict[str, tuple[float, DutyRules]] = {}


class DutyRules(models.Model):
    """The numbers behind the duty figures: policy, editable in the admin (one row, pk 1)."""

    ping_interval_s = models.PositiveIntegerField(
        _("ping interval (seconds)"),
        default=30,
        help_text=_("How often the handheld app sends its position while on duty."),
    )
    online_gap_s = models.PositiveIntegerField(
        _("online gap (seconds)"),
        default=120,
        help_text=_("A gap between two pings longer than this counts as offline."),
    )
    off_post_tolerance_m = models.PositiveIntegerField(
        _("off-post tolerance (metres)"),
        default=50,
        help_text=_("A position farther than this outside the own grid is off post."),
    )
    min_excursion_min = models.PositiveIntegerField(
        _("minimum excursion (minutes)"),
        default=5,
        help_text=_("Shorter stretches outside the grid are GPS noise and not counted."),
    )
    missed_shift_share = models.DecimalField(
        _("missed-shift threshold"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text=_("A shift is missed when on duty for less than this share of it (0 to 1)."),
    )
    patrol_buffer_m = models.PositiveIntegerField(
        _("patrol buffer (metres)"),
        default=25,
        help_text=_("Width either side of the track counted as covered by the patrol."),
    )
    max_batch = models.PositiveIntegerField(_("maximum pings per batch"), default=1000)
    max_age_h = models.PositiveIntegerField(_("oldest ping accepted (hours)"), default=72)
    max_future_min = models.PositiveIntegerField(
        _("furthest a ping may be in the future (minutes)"), default=5
    )
    max_speed_kmh = models.PositiveIntegerField(
        _("maximum plausible speed (km/h)"),
        default=120,
        help_text=_("A jump between two pings faster than this is a GPS error, not distance."),
    )

    class Meta:
        verbose_name = _("duty rules")
        verbose_name_plural = _("duty rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(missed_shift_share__gte=0) & Q(missed_shift_share__lte=1),
                name="duty_rules_share_0_1",
                violation_error_message=_("The missed-shift threshold must be between 0 and 1."),
            ),
            models.CheckConstraint(condition=Q(pk=1), name="duty_rules_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("duty rules"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _RULES_CACHE.clear()

    @classmethod
    def load(cls) -> DutyRules:
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules

    @classmethod
    def current(cls) -> DutyRules:
        """The rules, read at most every few seconds per process (the ping path is hot).

        A change saved in this process applies at once; in other processes within
        RULES_CACHE_SECONDS.
        """
        cached = _RULES_CACHE.get("rules")
        if cached is not None and time.monotonic() - cached[0] < RULES_CACHE_SECONDS:
            return cached[1]
        rules = cls.load()
        _RULES_CACHE["rules"] = (time.monotonic(), rules)
        return rules

    @classmethod
    def forget(cls) -> None:
        """Drop the cached rules (tests, after a rolled-back change)."""
        _RULES_CACHE.clear()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Shift(TimeStampedModel):
    """A weekly shift on the roster: this person, this grid and role, this weekday, from–to.

    Overnight shifts (ending after midnight) are not supported: split them in two.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="shifts"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="shifts"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["person__name", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="shift_end_after_start",
                violation_error_message=_(
                    "The shift must end after it starts; overnight shifts are not supported:"
                    " split one into two shifts, before and after midnight."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="shift_valid_to_after_from",
                violation_error_message=_("The end of validity is before its start."),
            ),
        ]
        indexes = [models.Index(fields=["person", "weekday"], name="shift_person_day")]

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(
                {
                    "end_time": _(
                        "The shift must end after it starts; overnight shifts are not supported:"
                        " split one into two shifts, before and after midnight."
                    )
                }
            )
        if not (self.person_id and self.grid_id and self.role and self.valid_from):
            return
        holds = GridRole.objects.filter(
            person_id=self.person_id, grid_id=self.grid_id, role=self.role
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=self.valid_from))
        if self.valid_to is not None:
            holds = holds.filter(start_date__lte=self.valid_to)
        if not holds.exists():
            raise ValidationError(
                {
                    "role": _(
                        "%(person)s does not hold this role in this grid while the shift is"
                        " valid: assign the role first (people admin, grid roles)"
                    )
                    % {"person": self.person}
                }
            )

    def __str__(self) -> str:
        return (
            f"{self.person} · {self.get_weekday_display()} "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        )


class ShiftExceptionKind(models.TextChoices):
    OFF = "off", _("no shift that day")
    EXTRA = "extra", _("extra shift")


class ShiftException(TimeStampedModel):
    """A change to the roster on one date: a day off, or an extra shift with its times."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="shift_exceptions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=ShiftExceptionKind.choices)
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shift exception")
        verbose_name_plural = _("shift exceptions")
        ordering = ["-date", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="off")
                | (
                    Q(start_time__isnull=False)
                    & Q(end_time__isnull=False)
                    & Q(end_time__gt=models.F("start_time"))
                ),
                name="shift_exception_extra_times",
                violation_error_message=_(
                    "An extra shift needs a start and an end time, the end after the start."
                ),
            ),
        ]
        indexes = [models.Index(fields=["person", "date"], name="shift_exception_day")]

    def __str__(self) -> str:
        return f"{self.person} · {self.date} · {self.get_kind_display()}"


class Ping(models.Model):
    """A position the handheld app sent while on duty; the device's client id makes it unique."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="pings"
    )
    client_id = models.CharField(_("client id"), max_length=64)
    at = models.DateTimeField(_("measured at"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    accuracy = models.FloatField(_("accuracy (metres)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("position ping")
        verbose_name_plural = _("position pings")
        ordering = ["person", "at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "client_id"], name="ping_client_id"),
        ]
        indexes = [models.Index(fields=["person", "at"], name="ping_person_at")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.at:%Y-%m-%d %H:%M:%S} · {self.lon:.6f},{self.lat:.6f}"


class DutyDay(models.Model):
    """A finished day of one person's duty in numbers, stored (see ``duty.summary`` for what
    each figure means): the assessment sums these rows instead of re-reading a month of pings.

    Written by ``services.record_days`` (the nightly job, or on demand when a finished day is
    missing); pings that arrive late for a stored day drop its row, so it is computed again.
    A change of the rules (or of a past day's roster) applies to days stored afterwards: to
    recompute stored days, delete their rows (admin) or run ``record_days`` for them again.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="duty_days"
    )
    date = models.DateField(_("date"))
    # The day's main session: the grid with the most on-duty time, and its role.
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("main grid"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices, blank=True)
    on_duty_minutes = models.FloatField(_("on duty (minutes)"), default=0.0)
    online_minutes = models.FloatField(_("online (minutes)"), default=0.0)
    off_post_minutes = models.FloatField(_("off post (minutes)"), default=0.0)
    planned_minutes = models.FloatField(_("planned shifts (minutes)"), default=0.0)
    shifts = models.PositiveIntegerField(_("planned shifts"), default=0)
    missed_shifts = models.PositiveIntegerField(_("missed shifts"), default=0)
    distance_m = models.FloatField(_("distance (metres)"), default=0.0)
    coverage = models.FloatField(_("coverage (0–1)"), default=0.0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("duty day")
        verbose_name_plural = _("duty days")
        ordering = ["-date", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="duty_day_person_date"),
        ]
        indexes = [models.Index(fields=["date"], name="duty_day_date")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.date:%Y-%m-%d}"
