"""Being on duty (在岗): sign-on/sign-off sessions, and what the day summaries are built from."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import Grid
from wangge.people.models import Person, RoleKind


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
