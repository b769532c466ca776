"""Models of the leaders app: coordination meetings with follow-ups, and spot inspections.

The seed (三.1 网格长责任制): grid leaders 定期召开网格工作协调会议 (hold coordination
meetings) and 对网格监督员以外的其他网格员进行管理、检查、考核 (manage, inspect and assess the
grid staff other than the supervisors, who are reported to the district grid centre).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import Grid
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind


class CoordinationMeeting(TimeStampedModel):
    """A grid work coordination meeting (网格工作协调会议) convened by a leader post."""

    at = models.DateTimeField(_("date and time"), db_index=True)
    leader = models.ForeignKey(
        LeaderPost,
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    attendees = models.ManyToManyField(
        Person, verbose_name=_("attendees"), blank=True, related_name="meetings_attended"
    )
    other_attendees = models.CharField(
        _("other attendees"),
        max_length=500,
        blank=True,
        help_text=_("People without a record here, e.g. residents' representatives."),
    )
    decisions = models.TextField(_("decisions"), blank=True)
    minutes = models.TextField(_("minutes of the meeting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} · {self.topic}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class FollowUp(TimeStampedModel):
    """An action a meeting decided, with its owner and due date, tracked to done."""

    meeting = models.ForeignKey(
        CoordinationMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    action = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("note on completion"), max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False) | ~Q(status="done"),
                name="follow_up_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} · {self.owner} · {self.due_date}"

    def is_overdue(self, today: dt.date) -> bool:
        """Open past its due date."""
        return self.status == FollowUpStatus.OPEN and self.due_date < today


class Finding(models.TextChoices):
    OK = "ok", _("at the post and doing the job")
    ABSENT = "absent", _("absent from the post")  # 脱岗
    NEGLECT = "neglect", _("at the post but not doing the job")  # 在岗不履职
    OTHER = "other", _("other")


# Findings that count into the person's monthly deductions (read by the assessment).
DEDUCTED_FINDINGS: tuple[str, ...] = (Finding.ABSENT, Finding.NEGLECT)


class Inspection(TimeStampedModel):
    """A spot inspection of one of the grid staff (not a supervisor) by a grid leader."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("inspected person"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    grid_role = models.ForeignKey(
        GridRole,
        verbose_name=_("their role then"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="inspections"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    inspector_post = models.ForeignKey(
        LeaderPost,
        verbose_name=_("inspector's post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspector = models.ForeignKey(
        Person,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_made",
    )
    at = models.DateTimeField(_("at"), db_index=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("spot inspection")
        verbose_name_plural = _("spot inspections")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"], name="inspection_person_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.person} · {self.get_finding_display()}"

    @property
    def is_deducted(self) -> bool:
        return self.finding in DEDUCTED_FINDINGS
