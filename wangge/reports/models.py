"""Models of the reports app: the limits behind the self-evaluation report's 五、存在的问题.

``ProblemThresholds`` is one row (pk 1), editable in the admin. A problem is written into the
report only when the year's data crosses its limit; without a row the defaults apply.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SHARE = {
    "max_digits": 5,
    "decimal_places": 4,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
}


class ProblemThresholds(models.Model):
    """The limits the annual self-evaluation report judges the year's figures against."""

    max_turnover_rate = models.DecimalField(
        _("highest acceptable turnover rate"),
        default=Decimal("0.20"),
        help_text=_("Departures ÷ average headcount of the grid staff over the year (0 to 1)."),
        **SHARE,  # type: ignore[arg-type]
    )
    max_temporary_share = models.DecimalField(
        _("highest acceptable share of temporary hires"),
        default=Decimal("0.50"),
        help_text=_("Temporary hires ÷ grid staff in post at the year's end (0 to 1)."),
        **SHARE,  # type: ignore[arg-type]
    )
    max_linkage_response_minutes = models.PositiveIntegerField(
        _("highest acceptable linkage response (minutes)"),
        default=30,
        help_text=_("Median minutes from a linkage call to the called person's arrival on site."),
    )
    max_overdue_rate = models.DecimalField(
        _("highest acceptable overdue rate"),
        default=Decimal("0.05"),
        help_text=_("Overdue ÷ cases to close over the year (0 to 1), as the rates module counts."),
        **SHARE,  # type: ignore[arg-type]
    )
    max_open_post_days = models.PositiveIntegerField(
        _("longest acceptable vacancy (days)"),
        default=30,
        help_text=_(
            "A post left open longer than this, or still open at the year's end, is a problem."
        ),
    )

    class Meta:
        verbose_name = _("problem thresholds")
        verbose_name_plural = _("problem thresholds")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reports_thresholds_singleton"),
            models.CheckConstraint(
                condition=Q(max_turnover_rate__gte=0, max_turnover_rate__lte=1)
                & Q(max_temporary_share__gte=0, max_temporary_share__lte=1)
                & Q(max_overdue_rate__gte=0, max_overdue_rate__lte=1),
                name="reports_thresholds_shares_0_1",
                violation_error_message=_("Rates and shares are between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("problem thresholds"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def current(cls) -> ProblemThresholds:
        """The thresholds in force: the stored row, or the defaults (unsaved) when there is none."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
