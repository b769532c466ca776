"""The form the centre sends an alert with (parsing only; send_alert checks the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.field.alerts.models import AlertKind
from wangge.org.models import Grid
from wangge.org.territory import Territory
from wangge.people.models import RoleKind


class AlertForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AlertKind.choices, initial=AlertKind.EMERGENCY
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    grids = forms.ModelMultipleChoiceField(
        label=_("Grids"),
        queryset=Grid.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles (none: all five)"),
        choices=RoleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ack_minutes = forms.IntegerField(
        label=_("Acknowledge within (minutes)"), min_value=1, max_value=1440, required=False
    )

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = self.fields["grids"]
        assert isinstance(grids, forms.ModelMultipleChoiceField)
        grids.queryset = Grid.objects.filter(territory.grid_q()).order_by("code")
