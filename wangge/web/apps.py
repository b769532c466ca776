from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Pages, and the console commands that put several apps together."""

    name = "wangge.web"
    label = "web"
    verbose_name = _("Pages")
