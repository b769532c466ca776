from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobileConfig(AppConfig):
    name = "wangge.field.mobile"
    label = "mobile"
    verbose_name = _("Handheld app")
