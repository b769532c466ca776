"""The forms of the leaders' pages (parsing only; the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wangge.leaders.models import Finding
from wangge.people.models import LeaderPost, Person

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class StaffChoiceField(forms.ModelChoiceField):
    """A person with their roles today (``current_roles`` prefetched by the view)."""

    def label_from_instance(self, obj: Any) -> str:
        roles = getattr(obj, "current_roles", [])
        parts = [f"{r.get_role_display()} · {r.grid.name}" for r in roles]
        return " / ".join([obj.name, *parts]) if parts else str(obj.name)


class MeetingForm(forms.Form):
    post = PostChoiceField(label=_("Convened by"), queryset=LeaderPost.objects.none())
    at = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    other_attendees = forms.CharField(label=_("Other attendees"), max_length=500, required=False)
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(
        label=_("Minutes of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, posts: QuerySet[LeaderPost], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        post: Any = self.fields["post"]
        post.queryset = posts
        if "post" not in self.initial and len(posts[:2]) == 1:
            self.initial["post"] = posts[0].pk
        attendees: Any = self.fields["attendees"]
        attendees.queryset = people


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("Follow-up action"), max_length=500, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = people

    @property
    def is_blank(self) -> bool:
        d = getattr(self, "cleaned_data", {}) or {}
        return not (d.get("action") or d.get("owner") or d.get("due_date"))


class InspectionForm(forms.Form):
    post = PostChoiceField(
        label=_("Inspector's post"),
        queryset=LeaderPost.objects.none(),
        required=False,
        empty_label=_("My post covering the person's grid"),
    )
    person = StaffChoiceField(label=_("Inspected person"), queryset=Person.objects.none())
    at = forms.DateTimeField(label=_("At"), widget=DATETIME, input_formats=DATETIME_FORMATS)
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lon = forms.FloatField(label=_("Longitude"), required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False)

    def __init__(
        self, *args: Any, posts: QuerySet[LeaderPost], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        post: Any = self.fields["post"]
        post.queryset = posts
        person: Any = self.fields["person"]
        person.queryset = people


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)
