"""Forms for contact/. They only parse input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from bluelamp.accounts.models import Unit
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.core.models import Person

from .models import AppointmentSlot, Channel, Grade
from .models import VulnerabilityKind as Kind


def _text(label: str, rows: int = 2, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class CallForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMERGENCY)
    caller_given_names = forms.CharField(
        label="Caller's given names", max_length=120, required=False
    )
    caller_family_name = forms.CharField(
        label="Caller's family name", max_length=120, required=False
    )
    caller_dob = forms.CharField(
        label="Caller's date of birth",
        max_length=20,
        required=False,
        help_text="24/06/1971, or 1971 if that is all they give.",
    )
    caller_phone = forms.CharField(label="Caller's phone", max_length=30, required=False)
    line1 = forms.CharField(label="Where: address", max_length=200, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    place = forms.CharField(
        label="Or describe the place",
        max_length=200,
        required=False,
        help_text="e.g. outside the Co-op",
    )
    account = _text("What happened", rows=4, max_length=4000)
    may_be_crime = forms.BooleanField(
        required=False,
        label="This may be a crime",
        help_text="Opens the 24-hour crime-recording decision (NCRS).",
    )
    owning_unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(), label="Team", required=False, help_text="Defaults to yours."
    )

    def has_caller(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("caller_given_names") or data.get("caller_family_name"))


class GradeForm(forms.Form):
    grade = forms.ChoiceField(choices=Grade.choices, widget=forms.RadioSelect)
    threat = _text("Threat: is there a perceived intent to harm?", max_length=2000)
    harm = _text("Harm: physical or psychological harm", max_length=2000)
    risk = _text("Risk: how likely is harm?", max_length=2000)
    investigation = _text("Investigation: what action is required?", max_length=2000)
    vulnerability = _text("Vulnerability: who cannot protect themselves?", max_length=2000)
    engagement = _text("Engagement: what will resolve it?", max_length=2000)
    rationale = _text("Overall rationale for the grade", max_length=2000)
    reason = _text(
        "Reason for re-grading",
        max_length=2000,
        required=False,
        help_text="Required when the incident already has a grade.",
    )
    review = forms.BooleanField(widget=forms.HiddenInput, required=False)


class ResourceForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.filter(kind=UnitKind.TEAM), required=False, label="Or a unit"
    )
    note = forms.CharField(max_length=1000, required=False, help_text="e.g. call sign")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                role__in=[Role.RESPONSE_OFFICER, Role.NEIGHBOURHOOD, Role.INVESTIGATOR],
            )
            .order_by("last_name")
        )


class ArrivalForm(forms.Form):
    at = forms.DateTimeField(
        label="Arrived at (UK time)",
        required=False,
        help_text="Leave empty for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(max_length=1000, required=False)


class CloseForm(forms.Form):
    note = _text("Result", max_length=1000, help_text="What was done and why it can close.")


class AppointmentForm(forms.Form):
    slot = forms.ModelChoiceField(queryset=AppointmentSlot.objects.none())
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [s.pk for s in slots]
        field = self.fields["slot"]
        field.queryset = AppointmentSlot.objects.filter(pk__in=ids).select_related("team")
        field.label_from_instance = lambda s: (
            f"{s.team} · {s.starts_at:%a %d %b %H:%M}-{s.ends_at:%H:%M}"
        )
        if not ids and not self.is_bound:
            field.help_text = "No slot with room before the target: ask a supervisor to add one."


class VulnerabilityForm(forms.Form):
    kinds = forms.MultipleChoiceField(choices=Kind.choices, widget=forms.CheckboxSelectMultiple)
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = _text("Note", max_length=2000, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["people"].queryset = people


class SlotForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Unit.objects.filter(kind=UnitKind.TEAM))
    starts_at = forms.DateTimeField(
        label="Starts (UK time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Ends (UK time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=4)
