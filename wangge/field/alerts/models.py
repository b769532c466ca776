"""Models of the alerts app: the centre's instructions and emergency alerts to the staff on duty.

The seed (三.5): the five roles "及时响应市、区网格中心指挥调度指令，协助处置应急预警问题".
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import Grid
from wangge.people.models import Person, Reassignable, RoleKind


class AlertRules(models.Model):
    """The alert policy numbers (one row, editable in the admin)."""

    ack_minutes = models.PositiveIntegerField(
        _("acknowledge within (minutes)"), default=10, validators=[MinValueValidator(1)]
    )
    recall_minutes = models.PositiveIntegerField(
        _("call again every (minutes)"), default=10, validators=[MinValueValidator(1)]
    )
    max_recalls = models.PositiveIntegerField(_("at most this many calls again"), default=3)

    class Meta:
        verbose_name = _("alert rules")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return str(_("Alert rules"))

    @classmethod
    def load(cls) -> AlertRules:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class AlertKind(models.TextChoices):
    INSTRUCTION = "instruction", _("command instruction")
    EMERGENCY = "emergency", _("emergency alert")


class Alert(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    grids = models.ManyToManyField(Grid, verbose_name=_("grids"), related_name="alerts")
    roles = models.JSONField(
        _("roles"), default=list, blank=True, help_text=_("Empty: all five roles.")
    )
    ack_minutes = models.PositiveIntegerField(
        _("acknowledge within (minutes)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def role_labels(self) -> list[str]:
        if not self.roles:
            return [str(_("all five roles"))]
        return [str(RoleKind(r).label) for r in self.roles if r in RoleKind.values]


class AlertRecipient(Reassignable):
    """One delivery of an alert to a person on duty, and whether they acknowledged it."""

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="recipients"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="alerts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    delivered_at = models.DateTimeField(_("delivered at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    recalls = models.PositiveIntegerField(_("called again"), default=0)
    last_recalled_at = models.DateTimeField(_("last called again at"), null=True, blank=True)
    leader_told_at = models.DateTimeField(_("leader told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        ordering = ["grid__code", "role", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "person"], name="alert_recipient_once"),
        ]
        indexes = [
            models.Index(fields=["person", "acknowledged_at"], name="alert_recipient_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.person}"
