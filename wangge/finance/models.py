"""Money: budget projects (项目), the allocations that fund them (区级财政安排, 财政调节经费),
what is spent from them (wages, equipment purchases, other) and the monthly wage sheets of the
grid staff they pay.

Amounts are ``Decimal`` yuan with two places; pages and the report show 万元 where the seed does.
Only ``finance.services`` (budget) and ``finance.payroll`` (wage sheets) write these rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.assets.models import Equipment
from wangge.core.models import TimeStampedModel
from wangge.org.models import Subdistrict
from wangge.people.models import Person, RoleKind

ZERO = Decimal("0.00")


class BudgetProject(TimeStampedModel):
    """One year's budget line of a subdistrict, e.g. 五进网格精细化管理经费、专职人员工资 2019."""

    subdistrict = models.ForeignKey(
        Subdistrict,
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        related_name="budget_projects",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    # The report's 二(三) "资金的管理情况" is written from these, as configured.
    principles = models.TextField(
        _("principles of use"), blank=True, help_text=_("One principle per line.")
    )
    management_rules = models.TextField(
        _("management rules"), blank=True, help_text=_("One rule per line.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "year", "name"],
                name="finance_project_once",
                violation_error_message=_(
                    "This subdistrict already has a project of that name in that year."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class AllocationKind(models.TextChoices):
    INITIAL = "initial", _("initial budget")
    ADJUSTMENT = "adjustment", _("fiscal adjustment")


class Allocation(TimeStampedModel):
    """Money granted to a project: the budget at the start of the year, or an adjustment."""

    project = models.ForeignKey(
        BudgetProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AllocationKind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=14,
        decimal_places=2,
    )
    date = models.DateField(_("date"))
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_allocation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()} {self.amount}"


class ExpenditureKind(models.TextChoices):
    WAGES = "wages", _("wages")
    EQUIPMENT = "equipment", _("equipment purchase")
    OTHER = "other", _("other")


class Expenditure(TimeStampedModel):
    """Money spent from a project. A wage expenditure is a locked month's payroll; an equipment
    purchase lists the items it paid for (``Equipment.purchase``)."""

    project = models.ForeignKey(
        BudgetProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ExpenditureKind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"),
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=14,
        decimal_places=2,
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    voucher_no = models.CharField(_("voucher number"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_expenditure_positive")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.description} {self.amount}"


class PurchaseItem(models.Model):
    """An equipment item paid for by an equipment expenditure (each item by at most one)."""

    expenditure = models.ForeignKey(
        Expenditure,
        verbose_name=_("expenditure"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    equipment = models.OneToOneField(
        Equipment,
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="purchase",
    )

    class Meta:
        verbose_name = _("purchased item")
        verbose_name_plural = _("purchased items")

    def __str__(self) -> str:
        return f"{self.expenditure_id}: {self.equipment}"


class Payee(TimeStampedModel):
    """Someone a project pays a monthly wage, from ``start`` to ``end`` (inclusive; open: still
    paid)."""

    project = models.ForeignKey(
        BudgetProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="payees",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="payee_of"
    )
    # The post the wage is for: a grid role, or empty for staff who hold none (a workstation's).
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices, blank=True)
    base_wage = models.DecimalField(
        _("monthly base wage (yuan)"),
        validators=[MinValueValidator(ZERO)],
        max_digits=14,
        decimal_places=2,
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        ordering = ["project", "person__name", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="finance_payee_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.base_wage}"


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    LOCKED = "locked", _("locked")


class Payroll(TimeStampedModel):
    """A month's wage sheet of a project: drafted, approved, then locked and booked."""

    project = models.ForeignKey(
        BudgetProject,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="payrolls",
    )
    month = models.CharField(_("month"), max_length=7, help_text="YYYY-MM")
    status = models.CharField(
        _("status"), max_length=12, choices=PayrollStatus.choices, default=PayrollStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    # The expenditure the locked month was booked as.
    expenditure = models.OneToOneField(
        Expenditure,
        verbose_name=_("expenditure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payroll",
    )

    class Meta:
        verbose_name = _("payroll month")
        verbose_name_plural = _("payroll months")
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="finance_payroll_once",
                violation_error_message=_("This project already has a wage sheet for that month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month}"


class PayrollLine(models.Model):
    """One person's wage in a month: base (pro rata for days in post) + performance − deductions."""

    payroll = models.ForeignKey(
        Payroll, verbose_name=_("payroll"), on_delete=models.CASCADE, related_name="lines"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="payroll_lines"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices, blank=True)
    days = models.PositiveSmallIntegerField(_("days in post"))
    base = models.DecimalField(_("base wage"), max_digits=14, decimal_places=2)
    performance = models.DecimalField(
        _("performance wage"), default=ZERO, max_digits=14, decimal_places=2
    )
    # Where the performance part came from: "assessment run 12, rank 3, ×1.2" or "no published
    # assessment".
    performance_source = models.CharField(_("performance source"), max_length=200, blank=True)
    deductions = models.DecimalField(
        _("deductions"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        max_digits=14,
        decimal_places=2,
    )
    deduction_note = models.CharField(_("deduction note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        ordering = ["payroll", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["payroll", "person"], name="finance_payroll_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.payroll} {self.person}"

    @property
    def net(self) -> Decimal:
        return self.base + self.performance - self.deductions
