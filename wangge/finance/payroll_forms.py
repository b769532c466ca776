"""Forms of the wage-sheet pages: they read the input; ``finance.payroll`` checks the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.people.models import Person, RoleKind

from .models import BudgetProject


class PayeeForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(
        label=_("Post"), required=False, choices=[("", "—"), *RoleKind.choices]
    )
    # Text, not a DecimalField: the service's parse_amount says what is wrong with an amount.
    base_wage = forms.CharField(label=_("Monthly base wage (yuan)"), max_length=20)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, project: BudgetProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Everyone still employed at some time of the project's year (the service refuses
        # someone who left before the start).
        field: Any = self.fields["person"]
        field.queryset = Person.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=dt.date(project.year, 1, 1))
        ).order_by("name", "id")


class PayeeEndForm(forms.Form):
    end = forms.DateField(label=_("Last paid day"), widget=forms.DateInput(attrs={"type": "date"}))


class DraftForm(forms.Form):
    month = forms.CharField(label=_("Wage month (YYYY-MM)"), max_length=7)


class LineForm(forms.Form):
    deductions = forms.CharField(label=_("Deductions"), max_length=20, required=False)
    deduction_note = forms.CharField(label=_("Deduction note"), max_length=300, required=False)
    performance = forms.CharField(label=_("Performance"), max_length=20, required=False)
    performance_note = forms.CharField(label=_("Why by hand"), max_length=150, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
