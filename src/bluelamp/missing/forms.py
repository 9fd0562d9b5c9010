"""Forms for missing/ pages; each field named as the service names it, so an error lands on it."""

from __future__ import annotations

from django import forms

from bluelamp.accounts.models import Unit

from .models import InterviewOutcome, MissingFrom, RiskGrade

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 2})


class ReportForm(forms.Form):
    owning_unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("path"), label="Team")
    last_seen_at = forms.DateTimeField(label="Last seen (UK time)", widget=WHEN)
    last_seen_where = forms.CharField(max_length=300, label="Last seen where")
    missing_from = forms.ChoiceField(choices=MissingFrom.choices)
    circumstances = forms.CharField(max_length=4000, widget=TEXT)
    risk_grade = forms.ChoiceField(choices=RiskGrade.choices, label="Risk")
    risk_reasons = forms.CharField(max_length=2000, widget=TEXT, label="Why this risk")
    is_child = forms.BooleanField(
        required=False, label="Under 18 (if the date of birth is not known)"
    )


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(choices=RiskGrade.choices, label="Risk now")
    reasons = forms.CharField(max_length=2000, widget=TEXT)
    actions = forms.CharField(max_length=2000, required=False, widget=TEXT)


class SightingForm(forms.Form):
    seen_at = forms.DateTimeField(label="Seen at (UK time)", widget=WHEN)
    where = forms.CharField(max_length=300)
    reported_by = forms.CharField(max_length=200, label="Seen by (a name, CCTV, ANPR)")
    note = forms.CharField(max_length=2000, required=False, widget=TEXT)


class EnquiryForm(forms.Form):
    description = forms.CharField(max_length=500, label="Line of enquiry")


class EnquiryDoneForm(forms.Form):
    enquiry_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    result = forms.CharField(max_length=2000, widget=TEXT)


class ReturnForm(forms.Form):
    returned_at = forms.DateTimeField(label="Returned or found at (UK time)", widget=WHEN)
    found_where = forms.CharField(max_length=300)
    return_account = forms.CharField(
        max_length=2000, required=False, widget=TEXT, label="What they said"
    )
    safe_and_well_findings = forms.CharField(
        max_length=2000,
        required=False,
        widget=TEXT,
        label="Safe-and-well check (leave empty if not done yet)",
    )


class SafeAndWellForm(forms.Form):
    findings = forms.CharField(max_length=2000, widget=TEXT, label="Safe-and-well check")
    at = forms.DateTimeField(required=False, label="Done at (UK time)", widget=WHEN)


class InterviewForm(forms.Form):
    outcome = forms.ChoiceField(choices=InterviewOutcome.choices)
    provider = forms.CharField(max_length=200, label="Independent provider")
    offered_at = forms.DateTimeField(required=False, label="Offered at (UK time)", widget=WHEN)
