"""Equipment (computers, vans, motorcycles, handhelds, uniforms, badges, tools) and who holds it.

An item is held by exactly one of: a person, a grid centre, a workstation — or nobody (in
store). Every change of holder is one EquipmentAssignment row (append-only history), written
only by assets.services.assign.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel
from wangge.org.models import GridCenter, Workstation
from wangge.people.models import Person


class EquipmentCategory(models.TextChoices):
    COMPUTER = "computer", _("computer")
    ELECTRIC_VAN = "electric_van", _("electric van")
    ELECTRIC_MOTORCYCLE = "electric_motorcycle", _("electric motorcycle")
    HANDHELD = "handheld", _("handheld (处置通)")
    UNIFORM = "uniform", _("uniform")
    BADGE = "badge", _("badge")
    TOOL = "tool", _("tool")
    OTHER = "other", _("other")


class EquipmentStatus(models.TextChoices):
    IN_USE = "in_use", _("in use")
    IN_STORE = "in_store", _("in store")
    LOST = "lost", _("lost")
    RETIRED = "retired", _("retired")


class HolderKind(models.TextChoices):
    PERSON = "person", _("person")
    CENTER = "center", _("grid centre")
    WORKSTATION = "workstation", _("workstation")
    STORE = "store", _("in store")


# At most one holder is set; none means in store.
ONE_HOLDER = (
    Q(person__isnull=True, center__isnull=True, workstation__isnull=True)
    | Q(person__isnull=False, center__isnull=True, workstation__isnull=True)
    | Q(person__isnull=True, center__isnull=False, workstation__isnull=True)
    | Q(person__isnull=True, center__isnull=True, workstation__isnull=False)
)


class HolderMixin(models.Model):
    """The holder fields shared by an item and its assignment rows."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    center = models.ForeignKey(
        GridCenter,
        verbose_name=_("grid centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def holder_kind(self) -> str:
        if self.person_id:
            return HolderKind.PERSON
        if self.center_id:
            return HolderKind.CENTER
        if self.workstation_id:
            return HolderKind.WORKSTATION
        return HolderKind.STORE

    @property
    def holder(self) -> Person | GridCenter | Workstation | None:
        return self.person or self.center or self.workstation

    @property
    def holder_label(self) -> str:
        holder = self.holder
        return str(holder) if holder is not None else str(HolderKind.STORE.label)


class Equipment(HolderMixin, TimeStampedModel):
    category = models.CharField(_("category"), max_length=24, choices=EquipmentCategory.choices)
    name = models.CharField(_("name"), max_length=100)
    serial = models.CharField(
        _("serial number"), max_length=64, blank=True, help_text=_("Unique when set.")
    )
    value = models.DecimalField(
        _("value (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    purchased_on = models.DateField(_("purchased on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EquipmentStatus.choices,
        default=EquipmentStatus.IN_STORE,
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment")
        ordering = ["category", "name", "serial", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["serial"], condition=~Q(serial=""), name="equipment_serial_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="equipment_value_not_negative"),
            models.CheckConstraint(condition=ONE_HOLDER, name="equipment_one_holder"),
        ]
        indexes = [models.Index(fields=["person"], name="equipment_person")]

    def __str__(self) -> str:
        return f"{self.name} {self.serial}".strip()


class EquipmentAssignment(HolderMixin):
    """One period in which an item was with one holder (or in store): append-only history."""

    equipment = models.ForeignKey(
        Equipment,
        verbose_name=_("equipment item"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("equipment assignment")
        verbose_name_plural = _("equipment assignments")
        ordering = ["equipment", "started_at", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_HOLDER, name="equipment_assignment_one_holder"),
            # One open row per item: the current holder.
            models.UniqueConstraint(
                fields=["equipment"],
                condition=Q(ended_at__isnull=True),
                name="equipment_one_open_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} → {self.holder_label}"
