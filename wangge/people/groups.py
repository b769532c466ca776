"""The user groups the platform knows, by name. Created by a data migration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wangge.people.models import RoleKind

OPERATOR_INTAKE = "operator_intake"
OPERATOR_DISPATCH = "operator_dispatch"
LEADERS = "leaders"
ASSESSORS = "assessors"
FINANCE = "finance"
ADMINS = "admins"

GROUPS: dict[str, object] = {
    OPERATOR_INTAKE: _("Operators: intake"),
    OPERATOR_DISPATCH: _("Operators: dispatch"),
    LEADERS: _("Grid leaders"),
    **{role.value: role.label for role in RoleKind},
    ASSESSORS: _("Assessment group"),
    FINANCE: _("Finance staff"),
    ADMINS: _("Administrators"),
}
