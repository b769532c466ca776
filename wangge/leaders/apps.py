from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadersConfig(AppConfig):
    name = "wangge.leaders"
    label = "leaders"
    verbose_name = _("Leaders' work")
