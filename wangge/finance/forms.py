"""The forms of the budget pages: parsing only. Amounts stay text here (services.parse_amount
reads them strictly); every rule is the services' (their errors land on the named field)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wangge.assets.models import Equipment
from wangge.core.errors import DomainError
from wangge.org.models import Subdistrict

from .models import AllocationKind
from .selectors import MAX_ID
from .services import MANUAL_KINDS, parse_amount

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "597,500.00"})

# Wages are booked by locking a payroll month (the payroll pages), not typed in here.
RECORDED_HERE = [(k.value, k.label) for k in MANUAL_KINDS]


def add_domain_error(
    form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's error next to its field (or above the form when it names none)."""
    field = (aliases or {}).get(error.field or "", error.field or "")
    form.add_error(field if field in form.fields else None, error.message)


class AmountMixin:
    """Reads the amount with the services' parser, so its error shows with the form's others."""

    def clean_amount(self) -> Decimal:
        data: Any = self.cleaned_data  # type: ignore[attr-defined]
        try:
            return parse_amount(data.get("amount"))
        except DomainError as exc:
            raise ValidationError(exc.message) from None


class ProjectForm(forms.Form):
    subdistrict = forms.ModelChoiceField(
        label=_("Subdistrict"), queryset=Subdistrict.objects.none()
    )
    year = forms.IntegerField(label=_("Year"))
    name = forms.CharField(label=_("Name"), max_length=200)
    principles = forms.CharField(
        label=_("Principles of use"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One principle per line."),
    )
    management_rules = forms.CharField(
        label=_("Management rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One rule per line."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, subdistricts: QuerySet[Subdistrict] | None, **kwargs: Any
    ) -> None:
        """``subdistricts`` to choose from for a new project; None when editing one (a project
        stays with its subdistrict)."""
        super().__init__(*args, **kwargs)
        if subdistricts is None:
            del self.fields["subdistrict"]
            return
        field: Any = self.fields["subdistrict"]
        field.queryset = subdistricts
        if "subdistrict" not in self.initial and len(subdistricts[:2]) == 1:
            self.initial["subdistrict"] = subdistricts[0].pk


class AllocationForm(AmountMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "allocation_%s")  # ids unique beside the expenditure form
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(label=_("Kind"), choices=AllocationKind.choices)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=40, widget=AMOUNT)
    date = forms.DateField(label=_("Date"), widget=DATE)
    document_no = forms.CharField(label=_("Document number"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EquipmentChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        # An id beyond what the database holds would overflow the query: refuse it as unknown.
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                known = 0 < int(pk) <= MAX_ID
            except (TypeError, ValueError):
                continue  # the parent reports it as not an id
            if not known:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)

    def label_from_instance(self, obj: Any) -> str:
        parts = [str(obj.get_category_display()), obj.name]
        if obj.serial:
            parts.append(obj.serial)
        return " · ".join([*parts, obj.holder_label])


class ExpenditureForm(AmountMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RECORDED_HERE)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=40, widget=AMOUNT)
    date = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Description"), max_length=300)
    voucher_no = forms.CharField(label=_("Voucher number"), max_length=100, required=False)
    equipment = EquipmentChoiceField(
        label=_("Items bought (equipment purchase)"),
        queryset=Equipment.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "The subdistrict's equipment not yet paid for; register new items on the equipment"
            " admin first."
        ),
    )

    def __init__(self, *args: Any, equipment: QuerySet[Equipment], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "expenditure_%s")
        super().__init__(*args, **kwargs)
        field: Any = self.fields["equipment"]
        field.queryset = equipment


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
