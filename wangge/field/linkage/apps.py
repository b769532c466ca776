from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "wangge.field.linkage"
    label = "linkage"
    verbose_name = _("Linkage")
