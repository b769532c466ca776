"""Forms of the pages and the admin: they parse input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wangge.org.models import Community, Grid
from wangge.org.selectors import communities_visible, grids_visible
from wangge.org.territory import Territory
from wangge.people.models import Employment, Person, RoleKind
from wangge.people.selectors import persons_filter

# ---------------------------------------------------------------------------------------------
# The people list's filters


class PeopleFilterForm(forms.Form):
    STATUS_ACTIVE = "active"
    STATUS_LEFT = "left"

    q = forms.CharField(label=_("Name or phone"), required=False, max_length=50)
    role = forms.ChoiceField(
        label=_("role"), required=False, choices=[("", _("All roles")), *RoleKind.choices]
    )
    # The querysets are set per user in __init__.
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        label=_("community"),
        required=False,
        queryset=Community.objects.none(),
        empty_label=_("All communities"),
    )
    grid: forms.ModelChoiceField[Grid] = forms.ModelChoiceField(
        label=_("grid"), required=False, queryset=Grid.objects.none(), empty_label=_("All grids")
    )
    employment = forms.ChoiceField(
        label=_("employment"),
        required=False,
        choices=[("", _("Any employment")), *Employment.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Active and left")),
            (STATUS_ACTIVE, _("Active")),
            (STATUS_LEFT, _("Left")),
        ],
    )

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are the user's territory only, so a filter cannot name what they may not see.
        community_field: Any = self.fields["community"]
        community_field.queryset = communities_visible(territory)
        grid_field: Any = self.fields["grid"]
        grid_field.queryset = grids_visible(territory)

    def apply(self, people: QuerySet[Person]) -> QuerySet[Person]:
        """Narrow a territory-scoped queryset of people by the valid filters."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status")
        return persons_filter(
            people,
            q=data.get("q") or "",
            role=data.get("role") or None,
            grid=data.get("grid"),
            community=data.get("community"),
            employment=data.get("employment") or None,
            active={self.STATUS_ACTIVE: True, self.STATUS_LEFT: False}.get(status or ""),
        )
