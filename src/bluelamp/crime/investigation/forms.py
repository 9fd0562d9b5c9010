"""Forms for the investigation pages. Field names match the services' arguments, so a service's
ValidationError lands on the field it names. Each form has its own id prefix: several sit on one
page and their labels must point at their own inputs."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from bluelamp.accounts.permissions import visible
from bluelamp.accounts.roles import Role
from bluelamp.core.choices import EventRole, ObjectKind
from bluelamp.core.models import Event, Person, PoleObject

from .models import (
    Disposal,
    EnquiryKind,
    EnquiryStatus,
    ExaminationStatus,
    ForensicDecisionKind,
    NotInvestigatedReason,
    Release,
    Skill,
    SuspectStep,
    Wish,
)

DATE = forms.DateInput(attrs={"type": "date"})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _blank(choices) -> list:
    return [("", "—"), *choices.choices]


class InvestigationForm(forms.Form):
    key = ""

    def __init__(self, *args, crime: Event | None = None, actor=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.key}_%s")
        super().__init__(*args, **kwargs)
        self.crime = crime
        self.actor = actor


class LineForm(InvestigationForm):
    key = "line"
    kind = forms.ChoiceField(choices=EnquiryKind.choices)
    description = forms.CharField(max_length=500, help_text="What will be done, and where.")


class LineStatusForm(InvestigationForm):
    key = "line_status"
    line = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=EnquiryStatus.choices)
    result = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    not_possible_reason = forms.CharField(
        max_length=500, required=False, label="Why it is not possible"
    )


class UpdateForm(InvestigationForm):
    key = "update"
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    victim_visible = forms.BooleanField(required=False, label="Share this update with the victim")


def _people(crime: Event | None, role: str, actor):
    """The crime's people in ``role`` whom ``actor`` may see: a restricted suspect or victim is
    not offered (DESIGN.md: restricted means invisible in drop-downs too)."""
    if crime is None or actor is None:
        return Person.objects.none()
    return visible(
        Person.objects.filter(event_links__event=crime, event_links__role=role).distinct(), actor
    )


class WishForm(InvestigationForm):
    key = "wish"
    wish = forms.ChoiceField(choices=Wish.choices, widget=forms.RadioSelect)
    stated_on = forms.DateField(required=False, widget=DATE, help_text="Today if left blank.")
    victim = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    note = forms.CharField(max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = _people(self.crime, EventRole.VICTIM, self.actor)


class SuspectForm(InvestigationForm):
    key = "suspect"
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Suspect")
    step = forms.ChoiceField(choices=SuspectStep.choices, label="What happened")
    occurred_at = forms.DateTimeField(
        required=False, widget=WHEN, label="When", help_text="Now if left blank."
    )
    how = forms.ChoiceField(choices=_blank(Release), required=False, label="Released how")
    bail_conditions = forms.CharField(max_length=1000, required=False)
    bail_conditions_changed = forms.BooleanField(required=False)
    bail_end = forms.DateField(
        required=False, widget=DATE, help_text="Bail: three months from release if left blank."
    )
    disposal = forms.ChoiceField(choices=_blank(Disposal), required=False)
    note = forms.CharField(max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(self.crime, EventRole.SUSPECT, self.actor)


class NotInvestigatedForm(InvestigationForm):
    key = "not_investigated"
    reason = forms.ChoiceField(choices=NotInvestigatedReason.choices)
    explanation = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the victim will be told (Victims' Code right 6).",
    )


class ForensicForm(InvestigationForm):
    key = "forensic"
    kind = forms.ChoiceField(choices=ForensicDecisionKind.choices, label="Decision about")
    decided_yes = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    rationale = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DeviceRequestForm(InvestigationForm):
    key = "device"
    device = forms.ModelChoiceField(queryset=PoleObject.objects.none(), required=False)
    device_description = forms.CharField(
        max_length=300, required=False, help_text="If the device is not listed."
    )
    what_is_sought = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.crime is not None:
            self.fields["device"].queryset = PoleObject.objects.filter(
                kind=ObjectKind.DEVICE, event_links__event=self.crime
            ).distinct()


class DeviceStatusForm(InvestigationForm):
    key = "device_status"
    request = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ExaminationStatus.choices)
    result = forms.CharField(max_length=4000, required=False)


def _officers(crime: Event | None):
    officers = get_user_model().objects.filter(
        is_active=True, role__in=[Role.INVESTIGATOR, Role.RESPONSE_OFFICER]
    )
    if crime is not None:
        officers = officers.filter(unit__path__startswith=crime.owning_unit.district().path)
    return officers.order_by("last_name", "pk")


class AllocationForm(InvestigationForm):
    key = "allocation"
    officer = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    override_reason = forms.CharField(
        max_length=1000,
        required=False,
        label="Override reason (supervisors)",
        help_text="Only to allocate to an officer without the skill this crime needs.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _officers(self.crime)


class SkillForm(InvestigationForm):
    key = "skill"
    officer = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "pk")
    )
    skill = forms.ChoiceField(choices=Skill.choices)
