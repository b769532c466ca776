"""Forms of the case pages: they parse input into the types services.report/act expect.

No business rule lives here: whether a point lies in the jurisdiction, a photo is an image, a
reason is needed or a tier differs from the proposal is decided by the services, whose
DomainError the view puts next to the field it names (``FIELD_OF`` maps its name to ours).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import (
    Case,
    CaseSource,
    CaseStatus,
    Category,
    DispatchTarget,
    Urgency,
)
from wangge.cases.selectors import cases_filter
from wangge.cases.workflow import REJECT_REASONS
from wangge.org.models import Community, Grid, HandlingUnit
from wangge.org.selectors import communities_visible, grids_visible
from wangge.org.territory import Territory
from wangge.people.models import Person
from wangge.people.selectors import persons_visible

# ---------------------------------------------------------------------------------------------
# Several photos in one input (Django's FileField takes one file)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files; whether each is an acceptable image is the service's call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("kind", "major_name", "code")


def search_categories(q: str, limit: int = 30) -> list[Category]:
    """Categories matching a few typed characters (name, code, keyword, pinyin), best first."""
    from wangge.cases.taxonomy import category_search

    return category_search(q, limit) if q.strip() else list(active_categories())


def category_field(required: bool) -> forms.ModelChoiceField[Category]:
    field: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"),
        queryset=active_categories(),
        required=required,
        empty_label=_("— choose a category —"),
    )
    return field


# ---------------------------------------------------------------------------------------------
# Report a problem (信息采集)


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category = category_field(required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=CaseSource.choices, initial=CaseSource.SUPERVISOR
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="normal")
    lon = forms.DecimalField(
        label=_("Longitude"),
        max_digits=11,
        decimal_places=7,
        error_messages={"required": _("Click the map to place the problem.")},
    )
    lat = forms.DecimalField(
        label=_("Latitude"),
        max_digits=10,
        decimal_places=7,
        error_messages={"required": _("Click the map to place the problem.")},
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)

    def report_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of services.report (the photos go separately)."""
        d = self.cleaned_data
        return {
            "source": d["source"],
            "description": d["description"],
            "lon": d["lon"],
            "lat": d["lat"],
            "address": d["address"],
            "category": d["category"],
            "urgency": d["urgency"],
            "reporter_name": d["reporter_name"],
            "reporter_phone": d["reporter_phone"],
        }


# ---------------------------------------------------------------------------------------------
# The case list's filters


YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, description or address"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *CaseStatus.choices]
    )
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        label=_("Community"),
        required=False,
        queryset=Community.objects.none(),
        empty_label=_("All communities"),
    )
    grid: forms.ModelChoiceField[Grid] = forms.ModelChoiceField(
        label=_("Grid"), required=False, queryset=Grid.objects.none(), empty_label=_("All grids")
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("All categories"),
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *CaseSource.choices]
    )
    tier = forms.TypedChoiceField(
        label=_("Tier"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All tiers")), *((t, str(t)) for t in range(1, 7))],
    )
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=YES_NO)
    key = forms.ChoiceField(label=_("Key case"), required=False, choices=YES_NO)
    date_from = forms.DateField(
        label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the user's own territory is offered, so a filter cannot name what they may not see.
        community: Any = self.fields["community"]
        community.queryset = communities_visible(territory)
        grid: Any = self.fields["grid"]
        grid.queryset = grids_visible(territory)

    def apply(self, cases: QuerySet[Case], now: dt.datetime | None = None) -> QuerySet[Case]:
        """Narrow a territory-scoped queryset by the valid filters (invalid ones are ignored)."""
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        yes_no = {"yes": True, "no": False}
        return cases_filter(
            cases,
            statuses=[d["status"]] if d.get("status") else None,
            grid_code=d["grid"].code if d.get("grid") else "",
            community_code=d["community"].full_code if d.get("community") else "",
            category_code=d["category"].code if d.get("category") else "",
            source=d.get("source") or "",
            tier=d.get("tier"),
            overdue=yes_no.get(d.get("overdue") or ""),
            key=yes_no.get(d.get("key") or ""),
            reported_from=d.get("date_from"),
            reported_to=d.get("date_to"),
            text=d.get("q") or "",
            now=now,
        )


# ---------------------------------------------------------------------------------------------
# One small form per workflow action: exactly the inputs the action needs


PASSED = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PASSED,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


def _reason(label: Any = None, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        max_length=2000,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(forms.Form):
    """Base of the action forms: ``to_data()`` is the ``data`` of services.act."""

    # Fields of the DomainError (the service's names) that are called differently here.
    FIELD_OF: ClassVar[dict[str, str]] = {}
    has_photos: ClassVar[bool] = False

    def __init__(self, *args: Any, case: Case, territory: Territory, **kwargs: Any) -> None:
        self.case = case
        self.territory = territory
        kwargs.setdefault("prefix", None)
        super().__init__(*args, **kwargs)

    def to_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "photos" and v not in ("",)}

    def uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("photos") or [])

    def form_field(self, service_field: str | None) -> str | None:
        """The field of this form a service error belongs to; None puts it over the form."""
        if not service_field:
            return None
        name = self.FIELD_OF.get(service_field, service_field.removeprefix("facts."))
        return name if name in self.fields else None


class NoInputForm(ActionForm):
    """accept, resume, approve-extension: the button is the whole input."""


class ReasonForm(ActionForm):
    reason = _reason()


class VerifyReportForm(ActionForm):
    confirmed = _yes_no(_("Confirmed on site?"))
    reason = _reason(_("What was found on site"), required=False)


class FileForm(ActionForm):
    category = category_field(required=True)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    heavy_machinery = forms.BooleanField(label=_("Needs heavy machinery"), required=False)
    enforcement = forms.BooleanField(label=_("Needs law enforcement"), required=False)
    offices = forms.IntegerField(
        label=_("Subdistrict offices involved"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    departments = forms.IntegerField(
        label=_("District departments involved"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    crosses_subdistricts = forms.BooleanField(label=_("Crosses subdistricts"), required=False)
    major = forms.BooleanField(label=_("Major and difficult"), required=False)
    city_unit = forms.BooleanField(label=_("Needs a city-level unit"), required=False)
    repeated = forms.BooleanField(label=_("Reported again at the same place"), required=False)
    tier = forms.TypedChoiceField(
        label=_("Tier"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("as the rules propose")), *((t, str(t)) for t in range(2, 7))],
    )
    tier_reason = forms.CharField(label=_("Why another tier"), max_length=2000, required=False)

    FACTS = (
        "heavy_machinery",
        "enforcement",
        "offices",
        "departments",
        "crosses_subdistricts",
        "major",
        "city_unit",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        self.initial.setdefault("category", case.category_id)
        self.initial.setdefault("urgency", case.urgency)
        for name in self.FACTS:
            if name in (case.facts or {}):
                self.initial.setdefault(name, case.facts[name])

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        # Only facts that are set: an empty fact set proposes the plain tier 2.
        facts = {k: d[k] for k in self.FACTS if d.get(k)}
        data: dict[str, Any] = {
            "category": d["category"],
            "urgency": d["urgency"],
            "facts": facts,
            "repeated": d["repeated"],
        }
        if d.get("tier") is not None:
            data["tier"] = d["tier"]
            data["tier_reason"] = d["tier_reason"]
        return data


class RejectForm(ActionForm):
    FIELD_OF = {"duplicate_of": "duplicate_number"}

    reason_kind = forms.ChoiceField(
        label=_("Why"),
        choices=list(
            zip(
                REJECT_REASONS,
                [_("not a case"), _("duplicate of another case"), _("outside the jurisdiction")],
                strict=True,
            )
        ),
    )
    reason = _reason()
    duplicate_number = forms.CharField(
        label=_("Number of the case it duplicates"), max_length=24, required=False
    )

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data: dict[str, Any] = {"reason_kind": d["reason_kind"], "reason": d["reason"]}
        number = d.get("duplicate_number", "").strip()
        if number:
            # Looked up inside the user's territory: a number they cannot see is not found.
            from wangge.cases.selectors import cases_visible

            data["duplicate_of"] = (
                cases_visible(self.territory).filter(number=number).first() or number
            )
        return data


class DispatchForm(ActionForm):
    target = forms.ChoiceField(label=_("Dispatch to"), choices=DispatchTarget.choices)
    unit: forms.ModelChoiceField[HandlingUnit] = forms.ModelChoiceField(
        label=_("Handling unit"),
        required=False,
        queryset=HandlingUnit.objects.none(),
        empty_label=_("— only when dispatching to a unit —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        if case.category is not None:
            self.initial.setdefault("target", case.category.default_target)
        unit: Any = self.fields["unit"]
        # Units the case may go to: this subdistrict's offices and the district's departments.
        unit.queryset = HandlingUnit.objects.filter(active=True).filter(
            Q(subdistrict_id=case.subdistrict_id)
            | Q(subdistrict__isnull=True, district_id=case.subdistrict.district_id)
        )


class ExtensionRequestForm(ActionForm):
    hours = forms.IntegerField(label=_("Extra working hours"), min_value=1, max_value=2000)
    reason = _reason()


class SuspendForm(ActionForm):
    reason = _reason(_("Plan (why it cannot be solved now and what will be done)"))


class FeedbackForm(ActionForm):
    has_photos = True
    result = _reason(_("Result (what was done)"))
    photos = MultipleFileField(label=_("Photos after handling"), required=False)


class VerifyForm(ActionForm):
    has_photos = True
    passed = _yes_no(_("Passed?"))
    reason = _reason(_("What is still wrong (when not passed)"), required=False)
    photos = MultipleFileField(label=_("Photos on site"), required=False)


class EvaluateForm(ActionForm):
    satisfaction = forms.TypedChoiceField(
        label=_("Reporter's satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("not asked")), *((n, "★" * n) for n in range(1, 6))],
    )

    def to_data(self) -> dict[str, Any]:
        s = self.cleaned_data.get("satisfaction")
        return {} if s is None else {"satisfaction": s}


class SetTierForm(ActionForm):
    tier = forms.TypedChoiceField(
        label=_("New tier"), coerce=int, choices=[(t, str(t)) for t in range(2, 7)]
    )
    reason = _reason()


class TextForm(ActionForm):
    text = _reason(_("Text"))


class InstructForm(ActionForm):
    text = _reason(_("Instruction"))


class MeetingForm(ActionForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = _reason(_("Attendees"))
    decisions = _reason(_("Decisions"))


class OversightOrderForm(ActionForm):
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    demand = _reason(_("Demand"))
    unit: forms.ModelChoiceField[HandlingUnit] = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=HandlingUnit.objects.filter(active=True),
        empty_label=_("— the handling unit —"),
    )


class _OpenOversightForm(ActionForm):
    oversight = forms.TypedChoiceField(label=_("Oversight order"), coerce=int, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["oversight"]
        field.choices = [
            (o.pk, f"{o.deadline:%Y-%m-%d} · {o.demand[:40]}")
            for o in self.case.oversights.filter(closed_at__isnull=True)
        ]


class OversightReplyForm(_OpenOversightForm):
    text = _reason(_("Reply"))


class OversightCloseForm(_OpenOversightForm):
    outcome = _reason(_("Outcome"))


class AssessForm(ActionForm):
    period = forms.RegexField(
        label=_("Month (YYYY-MM)"), regex=r"^\d{4}-\d{2}$", required=False, max_length=7
    )


class HandOverForm(ActionForm):
    """hand-over: the case's handling goes to a successor (someone serving in its territory)."""

    successor: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        label=_("Successor"), queryset=Person.objects.none()
    )
    reason = _reason()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["successor"]
        # People serving today in the user's territory, the case's own grid first.
        today = timezone.localdate()
        field.queryset = (
            Person.objects.active_on(today)
            .filter(pk__in=persons_visible(self.territory).values("pk"))
            .exclude(pk=self.case.handler_id or 0)
            .order_by("name", "pk")
        )


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "verify-report": VerifyReportForm,
    "file": FileForm,
    "reject": RejectForm,
    "dispatch": DispatchForm,
    "accept": NoInputForm,
    "return": ReasonForm,
    "request-extension": ExtensionRequestForm,
    "approve-extension": NoInputForm,
    "refuse-extension": ReasonForm,
    "suspend": SuspendForm,
    "resume": NoInputForm,
    "feedback": FeedbackForm,
    "verify": VerifyForm,
    "evaluate": EvaluateForm,
    "assess": AssessForm,
    "set-tier": SetTierForm,
    "mark-key": ReasonForm,
    "instruct": InstructForm,
    "record-meeting": MeetingForm,
    "order-oversight": OversightOrderForm,
    "reply-oversight": OversightReplyForm,
    "close-oversight": OversightCloseForm,
    "hand-over": HandOverForm,
}


def generic_form(requires: tuple[str, ...]) -> type[ActionForm]:
    """A form for an action added to the table later: one text input per required key."""
    fields: dict[str, Any] = {key: _reason(key) for key in requires if key != "photos"}
    if "photos" in requires:
        fields["photos"] = MultipleFileField(label=_("Photos"), required=False)
    attrs = {**fields, "has_photos": "photos" in requires}
    return type("GenericActionForm", (ActionForm,), attrs)


def action_form_class(action: str, requires: tuple[str, ...]) -> type[ActionForm]:
    return ACTION_FORMS.get(action) or generic_form(requires)
