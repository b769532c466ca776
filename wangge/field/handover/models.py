"""Hand-overs (交接): when a person leaves or moves, everything open of theirs goes to a named
successor in one step, and each moved thing is logged. Both tables are append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.people.models import Person


class HandoverKind(models.TextChoices):
    LEAVES = "leaves", _("leaves (roles end, login closed)")
    MOVES = "moves", _("moves (roles end, stays employed)")


class ItemKind(models.TextChoices):
    CASE = "case", _("case")
    LINKAGE_CALL = "linkage_call", _("linkage call")
    ALERT = "alert", _("alert")
    EQUIPMENT = "equipment", _("equipment")
    ROLE = "role", _("role")


class Handover(models.Model):
    person = models.ForeignKey(
        Person,
        verbose_name=_("person handing over"),
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    successor = models.ForeignKey(
        Person,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    at = models.DateTimeField(_("at"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=8, choices=HandoverKind.choices, default=HandoverKind.LEAVES
    )
    cases = models.PositiveIntegerField(_("cases"), default=0)
    linkage_calls = models.PositiveIntegerField(_("linkage calls"), default=0)
    alerts = models.PositiveIntegerField(_("alerts"), default=0)
    equipment = models.PositiveIntegerField(_("equipment"), default=0)
    roles = models.PositiveIntegerField(_("roles ended"), default=0)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} → {self.successor} ({self.at:%Y-%m-%d})"

    @property
    def moved(self) -> int:
        return self.cases + self.linkage_calls + self.alerts + self.equipment


class HandoverItem(models.Model):
    handover = models.ForeignKey(
        Handover, verbose_name=_("hand-over"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        verbose_name = _("hand-over item")
        verbose_name_plural = _("hand-over items")
        ordering = ["handover", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"
