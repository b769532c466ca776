from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "wangge.field.linkage"
    label = "linkage"
    verbose_name = _("Linkage")

    def ready(self) -> None:
        from wangge.cases.models import Case
        from wangge.cases.signals import case_reported
        from wangge.field.linkage.services import on_case_reported

        case_reported.connect(
            on_case_reported, sender=Case, dispatch_uid="linkage.on_case_reported"
        )
