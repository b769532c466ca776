"""Every change of the budget: projects, their allocations and the money spent from them.

Rules:
- An amount is yuan to the fen, more than 0 (``parse_amount``), never a float.
- A project has at most one initial budget allocation; more money comes as fiscal adjustments.
- Allocations and expenditures are dated inside the project's year.
- An expenditure never exceeds the balance (allocations − expenditures): when the money is not
  there, a fiscal adjustment has to be recorded first. The project row is locked while the
  balance is checked, so two expenditures cannot both pass it.
- An equipment purchase names the items it paid for; an item is paid for once.
- A wage expenditure booked by a locked payroll month cannot be cancelled or edited here.
Each function is one transaction and writes an audit entry; on an error nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext, gettext_lazy

from wangge.assets import services as asset_services
from wangge.assets.models import Equipment
from wangge.core import audit
from wangge.core.errors import DomainError, Forbidden
from wangge.org.models import Subdistrict
from wangge.people.groups import FINANCE

from .models import (
    ZERO,
    Allocation,
    AllocationKind,
    BudgetProject,
    Expenditure,
    ExpenditureKind,
    Payroll,
    PurchaseItem,
)
from .selectors import FEN, subdistrict_equipment

User = AbstractBaseUser | AnonymousUser | None
MAX_AMOUNT = Decimal("999999999999.99")
MIN_YEAR, MAX_YEAR = 2000, 2100


def _user(by_user: User) -> Any:
    """The user to store as author, or None for an anonymous or a scheduled call."""
    return by_user if by_user is not None and by_user.is_authenticated else None


def yuan(amount: Decimal) -> str:
    """An amount as people write it: 597,500.00."""
    return f"{amount:,.2f}"


# --- who may write --------------------------------------------------------------------------


def can_manage_budget(user: Any) -> bool:
    """The finance staff group and superusers record projects, allocations and expenditures."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.groups.filter(name=FINANCE).exists())


def require_budget_manager(user: Any) -> None:
    if not can_manage_budget(user):
        raise Forbidden(
            gettext("only the finance staff may change budget projects and their money")
        )


# --- amounts ---------------------------------------------------------------------------------


# The amounts parse_amount names in its messages (by the field they came from).
AMOUNT_LABELS = {
    "amount": gettext_lazy("amount"),
    "base_wage": gettext_lazy("base wage"),
    "deductions": gettext_lazy("deductions"),
    "performance": gettext_lazy("performance wage"),
}


def parse_amount(value: object, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """An amount in yuan, strictly: "597,500.00", "1 000", 1000 or Decimal("12.5") → Decimal
    with 2 places. Refuses floats (their binary value is not the amount typed), empty or
    non-numeric text, negative (or zero, unless ``allow_zero``) amounts, more than 2 decimal
    places and amounts beyond 999,999,999,999.99."""
    name = str(AMOUNT_LABELS.get(field, field))  # as people call it, in their language
    if isinstance(value, bool):
        raise DomainError(
            gettext("the %(field)s is not a number: %(value)s")
            % {"field": name, "value": repr(value)},
            field=field,
        )
    if isinstance(value, float):
        raise DomainError(
            gettext(
                'the %(field)s must be given as text or a whole number (e.g. "597500.00"), not'
                " as a floating-point number"
            )
            % {"field": name},
            field=field,
        )
    if isinstance(value, int | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    else:
        text = ""
        if value is not None:
            raise DomainError(
                gettext("the %(field)s is not a number: %(value)s")
                % {"field": name, "value": repr(value)},
                field=field,
            )
    if not text:
        raise DomainError(gettext("enter the %(field)s in yuan") % {"field": name}, field=field)
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DomainError(
            gettext("the %(field)s is not a number: %(value)s")
            % {"field": name, "value": str(value)[:40]},
            field=field,
        ) from None
    if not amount.is_finite():
        raise DomainError(
            gettext("the %(field)s is not a number: %(value)s")
            % {"field": name, "value": str(value)[:40]},
            field=field,
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        if allow_zero:
            message = gettext("the %(field)s cannot be negative") % {"field": name}
        else:
            message = gettext("the %(field)s must be more than 0") % {"field": name}
        raise DomainError(message, field=field)
    if amount > MAX_AMOUNT:
        raise DomainError(
            gettext("the %(field)s is too large (at most %(max)s yuan)")
            % {"field": name, "max": yuan(MAX_AMOUNT)},
            field=field,
        )
    # Checked after the size: quantizing a huge amount would overflow the decimal context.
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(FEN):
        raise DomainError(
            gettext("the %(field)s has more than 2 decimal places (fen): %(value)s")
            % {"field": name, "value": text},
            field=field,
        )
    return amount.quantize(FEN)


# --- projects --------------------------------------------------------------------------------


def _year(value: object) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(gettext("the year must be a number such as 2019"), field="year") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            gettext("the year must lie between %(min)d and %(max)d")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    return year


def _name(value: object) -> str:
    name = str(value or "").strip()
    if not name:
        raise DomainError(gettext("a project needs a name"), field="name")
    if len(name) > 200:
        raise DomainError(gettext("the name is longer than 200 characters"), field="name")
    return name


def _name_taken(subdistrict_id: int, year: int, name: str, exclude: int | None = None) -> None:
    taken = BudgetProject.objects.filter(subdistrict_id=subdistrict_id, year=year, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(
            gettext(
                "this subdistrict already has a project named %(name)s in %(year)d; choose"
                " another name or open that project"
            )
            % {"name": name, "year": year},
            field="name",
        )


@transaction.atomic
def project_create(
    *,
    subdistrict: Subdistrict,
    year: int,
    name: str,
    principles: str = "",
    management_rules: str = "",
    notes: str = "",
    by_user: User,
) -> BudgetProject:
    """Open a budget project (项目) of a subdistrict for a year."""
    if subdistrict is None:
        raise DomainError(gettext("choose the subdistrict of the project"), field="subdistrict")
    year = _year(year)
    name = _name(name)
    _name_taken(subdistrict.pk, year, name)
    project = BudgetProject(
        subdistrict=subdistrict,
        year=year,
        name=name,
        principles=(principles or "").strip(),
        management_rules=(management_rules or "").strip(),
        notes=(notes or "").strip(),
    )
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError:  # a concurrent creation of the same name
        _name_taken(subdistrict.pk, year, name)
        raise
    audit.record(
        actor=by_user,
        action="finance.project_create",
        object_type="budget_project",
        object_id=project.pk,
        summary=f"{subdistrict} {project}",
    )
    return project


PROJECT_EDITABLE = ("name", "year", "principles", "management_rules", "notes")


@transaction.atomic
def project_update(project: BudgetProject, *, by_user: User, **changes: Any) -> BudgetProject:
    """Correct a project's name, year, principles, management rules or notes. The year changes
    only while every allocation and expenditure still lies in the new year."""
    unknown = set(changes) - set(PROJECT_EDITABLE)
    if unknown:
        raise DomainError(
            gettext("these fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    row = BudgetProject.objects.select_for_update().get(pk=project.pk)
    if "name" in changes:
        changes["name"] = _name(changes["name"])
    if "year" in changes:
        changes["year"] = _year(changes["year"])
        if changes["year"] != row.year:
            outside = ~Q(date__year=changes["year"])
            if (
                row.allocations.filter(outside).exists()
                or row.expenditures.filter(outside).exists()
            ):
                raise DomainError(
                    gettext(
                        "the project has allocations or expenditures dated in %(year)d; its year"
                        " cannot change"
                    )
                    % {"year": row.year},
                    field="year",
                )
    for key in ("principles", "management_rules", "notes"):
        if key in changes:
            changes[key] = str(changes[key] or "").strip()
    _name_taken(
        row.subdistrict_id, changes.get("year", row.year), changes.get("name", row.name), row.pk
    )
    changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if changed:
        before = {k: str(getattr(row, k))[:60] for k in changed}
        for key, value in changed.items():
            setattr(row, key, value)
        row.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=by_user,
            action="finance.project_update",
            object_type="budget_project",
            object_id=row.pk,
            summary=f"{row}: "
            + ", ".join(f"{k} {before[k]} → {str(getattr(row, k))[:60]}" for k in changed),
        )
    project.refresh_from_db()
    return row


# --- allocations -----------------------------------------------------------------------------


def _date(value: object, project: BudgetProject, *, field: str = "date") -> dt.date:
    if isinstance(value, dt.datetime):
        raise DomainError(gettext("give a date, not a date and time"), field=field)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(
                gettext("the date must be written YYYY-MM-DD, e.g. %(year)d-03-31")
                % {"year": project.year},
                field=field,
            ) from None
    if not isinstance(value, dt.date):
        raise DomainError(gettext("enter the date"), field=field)
    if value.year != project.year:
        raise DomainError(
            gettext(
                "the date %(date)s is outside the project's year %(year)d; record it on that"
                " year's project"
            )
            % {"date": value.isoformat(), "year": project.year},
            field=field,
        )
    return value


def _text(value: object, field: str, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise DomainError(
            gettext("the %(field)s is longer than %(limit)d characters")
            % {"field": field.replace("_", " "), "limit": limit},
            field=field,
        )
    return text


def _lock(project: BudgetProject) -> BudgetProject:
    return BudgetProject.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def allocation_add(
    project: BudgetProject,
    *,
    kind: str,
    amount: object,
    date: object,
    document_no: str = "",
    note: str = "",
    by_user: User,
) -> Allocation:
    """Record money granted to the project: its initial budget (once) or a fiscal adjustment."""
    if kind not in AllocationKind.values:
        raise DomainError(
            gettext("the kind must be one of: %(kinds)s")
            % {"kinds": ", ".join(AllocationKind.values)},
            field="kind",
        )
    value = parse_amount(amount)
    row = _lock(project)
    day = _date(date, row)
    document_no = _text(document_no, "document_no", 100)
    note = _text(note, "note", 300)
    if kind == AllocationKind.INITIAL and row.allocations.filter(kind=kind).exists():
        raise DomainError(
            gettext(
                "%(project)s already has its initial budget; record a fiscal adjustment instead"
            )
            % {"project": str(row)},
            field="kind",
        )
    allocation = Allocation.objects.create(
        project=row,
        kind=kind,
        amount=value,
        date=day,
        document_no=document_no,
        note=note,
        created_by=_user(by_user),
    )
    audit.record(
        actor=by_user,
        action="finance.allocation_add",
        object_type="budget_project",
        object_id=row.pk,
        summary=f"{row}: {allocation.get_kind_display()} {yuan(value)} {day} {document_no}",
        data={"allocation": allocation.pk, "kind": kind, "amount": str(value)},
    )
    return allocation


# --- expenditures ----------------------------------------------------------------------------


def project_balance(project: BudgetProject) -> Decimal:
    """Allocations − expenditures of the project, in yuan."""
    allocated = project.allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    spent = project.expenditures.aggregate(s=Sum("amount"))["s"] or ZERO
    return Decimal(allocated - spent).quantize(FEN)


def _purchasable(project: BudgetProject, items: Sequence[Equipment]) -> list[Equipment]:
    """The items, locked, each unpaid and either in store or held inside the subdistrict."""
    ids = []
    for item in items:
        if not isinstance(item, Equipment):
            raise DomainError(
                gettext("unknown equipment item %(item)s") % {"item": repr(item)},
                field="equipment",
            )
        if item.pk in ids:
            raise DomainError(
                gettext("%(item)s is listed twice") % {"item": str(item)}, field="equipment"
            )
        ids.append(item.pk)
    locked = {e.pk: e for e in Equipment.objects.select_for_update(of=("self",)).filter(pk__in=ids)}
    own = set(
        subdistrict_equipment(project.subdistrict).filter(pk__in=ids).values_list("pk", flat=True)
    )
    paid = {
        p.equipment_id: p
        for p in PurchaseItem.objects.filter(equipment_id__in=ids).select_related("expenditure")
    }
    result: list[Equipment] = []
    for pk in ids:
        found = locked.get(pk)
        if found is None:
            raise DomainError(
                gettext("equipment item %(id)d does not exist") % {"id": pk}, field="equipment"
            )
        item = found
        if pk in paid:
            raise DomainError(
                gettext("%(item)s was already paid for by the expenditure of %(date)s (%(what)s)")
                % {
                    "item": str(item),
                    "date": paid[pk].expenditure.date.isoformat(),
                    "what": paid[pk].expenditure.description,
                },
                field="equipment",
            )
        if pk not in own:
            raise DomainError(
                gettext(
                    "%(item)s is held outside %(subdistrict)s; a project pays only for its own"
                    " subdistrict's equipment"
                )
                % {"item": str(item), "subdistrict": str(project.subdistrict)},
                field="equipment",
            )
        result.append(item)
    return result


@transaction.atomic
def record_expenditure(
    project: BudgetProject,
    *,
    kind: str,
    amount: object,
    date: object,
    description: str,
    by_user: User,
    voucher_no: str = "",
    equipment: Sequence[Equipment] = (),
) -> Expenditure:
    """Record money spent from the project: wages (a locked payroll month books these), an
    equipment purchase (naming the items it paid for) or anything else.

    Refused when the amount exceeds the balance: a fiscal adjustment must be recorded first.
    Items bought get their purchase date set to the expenditure's date when they have none.
    """
    if kind not in ExpenditureKind.values:
        raise DomainError(
            gettext("the kind must be one of: %(kinds)s")
            % {"kinds": ", ".join(ExpenditureKind.values)},
            field="kind",
        )
    value = parse_amount(amount)
    row = _lock(project)  # holds off a concurrent expenditure until this one commits
    day = _date(date, row)
    description = _text(description, "description", 300)
    if not description:
        raise DomainError(gettext("say what the money was spent on"), field="description")
    voucher_no = _text(voucher_no, "voucher_no", 100)
    items = list(equipment or ())
    if kind == ExpenditureKind.EQUIPMENT and not items:
        raise DomainError(
            gettext("an equipment purchase lists the items it paid for; choose at least one"),
            field="equipment",
        )
    if kind != ExpenditureKind.EQUIPMENT and items:
        raise DomainError(
            gettext("only an equipment purchase lists equipment items"), field="equipment"
        )
    bought = _purchasable(row, items) if items else []
    balance = project_balance(row)
    if value > balance:
        raise DomainError(
            gettext(
                "%(project)s has a balance of %(balance)s yuan; this expenditure of %(amount)s"
                " yuan is %(short)s yuan more. Record a fiscal adjustment first."
            )
            % {
                "project": str(row),
                "balance": yuan(balance),
                "amount": yuan(value),
                "short": yuan(value - balance),
            },
            field="amount",
        )
    expenditure = Expenditure.objects.create(
        project=row,
        kind=kind,
        amount=value,
        date=day,
        description=description,
        voucher_no=voucher_no,
        created_by=_user(by_user),
    )
    for item in bought:
        PurchaseItem.objects.create(expenditure=expenditure, equipment=item)
        if item.purchased_on is None:
            asset_services.equipment_update(item, by_user=by_user, purchased_on=day)
    audit.record(
        actor=by_user,
        action="finance.expenditure_record",
        object_type="budget_project",
        object_id=row.pk,
        summary=f"{row}: {expenditure.get_kind_display()} {yuan(value)} {day} {description}",
        data={
            "expenditure": expenditure.pk,
            "kind": kind,
            "amount": str(value),
            "equipment": [i.pk for i in bought],
        },
    )
    return expenditure


# Kinds a person records on the pages and the API; wages are booked by locking a payroll month
# (finance.payroll calls record_expenditure with kind WAGES).
MANUAL_KINDS = (ExpenditureKind.EQUIPMENT, ExpenditureKind.OTHER)


def check_manual_kind(kind: str) -> None:
    """Refuse a kind that is not recorded by hand (wages come from the payroll)."""
    if kind == ExpenditureKind.WAGES:
        raise DomainError(
            gettext("wages are booked by locking a payroll month on the wage sheets, not here"),
            field="kind",
        )
    if kind not in ExpenditureKind.values:
        raise DomainError(
            gettext("the kind must be one of: %(kinds)s")
            % {"kinds": ", ".join(str(k) for k in MANUAL_KINDS)},
            field="kind",
        )


def _booked_by_payroll(expenditure: Expenditure) -> bool:
    return Payroll.objects.filter(expenditure=expenditure).exists()


@transaction.atomic
def expenditure_update(expenditure: Expenditure, *, by_user: User, **changes: Any) -> Expenditure:
    """Correct an expenditure's description or voucher number. The amount, kind and date do
    not change: cancel the expenditure and record it again."""
    unknown = set(changes) - {"description", "voucher_no"}
    if unknown:
        raise DomainError(
            gettext(
                "these fields cannot be changed here: %(fields)s; cancel the expenditure and"
                " record it again"
            )
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    row = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if _booked_by_payroll(row):
        raise DomainError(
            gettext("this expenditure is a locked wage sheet and cannot be changed"),
            field="expenditure",
        )
    if "description" in changes:
        changes["description"] = _text(changes["description"], "description", 300)
        if not changes["description"]:
            raise DomainError(gettext("say what the money was spent on"), field="description")
    if "voucher_no" in changes:
        changes["voucher_no"] = _text(changes["voucher_no"], "voucher_no", 100)
    changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if changed:
        before = {k: getattr(row, k) for k in changed}
        for key, value in changed.items():
            setattr(row, key, value)
        row.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=by_user,
            action="finance.expenditure_update",
            object_type="expenditure",
            object_id=row.pk,
            summary=f"{row}: " + ", ".join(f"{k} {before[k]} → {changed[k]}" for k in changed),
        )
    expenditure.refresh_from_db()
    return row


@transaction.atomic
def expenditure_cancel(expenditure: Expenditure, *, by_user: User, reason: str) -> None:
    """Delete an expenditure recorded in error, with the items it listed (they become
    unpaid; their purchase date stays). The audit log keeps the record and the reason. A wage
    expenditure booked by a payroll month is refused: it is a locked wage sheet."""
    reason = _text(reason, "reason", 300)
    if not reason:
        raise DomainError(gettext("say why the expenditure is cancelled"), field="reason")
    _lock(expenditure.project)
    row = Expenditure.objects.select_for_update().filter(pk=expenditure.pk).first()
    if row is None:
        raise DomainError(gettext("this expenditure was already cancelled"), field="expenditure")
    if _booked_by_payroll(row):
        raise DomainError(
            gettext(
                "this wage expenditure cannot be cancelled: it is a locked wage sheet"
                " (payroll month)"
            ),
            field="expenditure",
        )
    items = list(row.items.select_related("equipment"))
    record = {
        "expenditure": row.pk,
        "project": row.project_id,
        "kind": row.kind,
        "amount": str(row.amount),
        "date": row.date.isoformat(),
        "description": row.description,
        "voucher_no": row.voucher_no,
        "equipment": [p.equipment_id for p in items],
        "reason": reason,
    }
    summary = (
        f"{row.project}: {gettext('cancelled')} {row.get_kind_display()} {yuan(row.amount)}"
        f" {row.date} {row.description} ({reason})"
    )
    PurchaseItem.objects.filter(expenditure=row).delete()
    row.delete()
    audit.record(
        actor=by_user,
        action="finance.expenditure_cancel",
        object_type="budget_project",
        object_id=record["project"],
        summary=summary,
        data=record,
    )
