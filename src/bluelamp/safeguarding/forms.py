"""Forms for safeguarding/'s pages. They only parse; the services validate and write."""

from __future__ import annotations

from django import forms

from . import rules
from .models import Concern, Hub, Outcome, RiskLevel
from .risk import ANSWERS, COMMENT_MAX

CHILD_SLOTS = ("child1", "child2", "child3")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ChildForm(forms.Form):
    """A child present: their school, or home educated (with the child's PersonEntry)."""

    school = forms.CharField(max_length=120, required=False, label="School (name or URN)")
    home_educated = forms.BooleanField(required=False, label="Home educated")


class ReferralForm(forms.Form):
    concern = forms.ChoiceField(
        choices=[("", "Choose…"), *Concern.choices], label="Type of concern"
    )
    police_attended = forms.BooleanField(required=False, initial=True, label="Police attended")
    home_postcode = forms.CharField(
        max_length=10, required=False, label="Home postcode of the person at risk"
    )
    home_area_code = forms.CharField(
        max_length=12,
        required=False,
        label="Local authority code (if no postcode)",
        help_text="ONS code, e.g. E07000123",
    )
    officer_risk = forms.ChoiceField(
        choices=[("", "Not graded (domestic abuse: the DASH decides)"), *RiskLevel.choices],
        required=False,
        label="Your risk grading",
    )
    risk_factors = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(rules.RISK_FACTORS.items()),
    )
    account = forms.CharField(
        max_length=8000, widget=forms.Textarea(attrs={"rows": 5}), label="Your account"
    )
    attachments = forms.FileField(
        required=False,
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf"}),
        label="Photos or documents",
    )


class DashForm(forms.Form):
    judgement = forms.ChoiceField(
        choices=[("", "Agree with the score"), *RiskLevel.choices],
        required=False,
        label="Professional judgement (raise the level)",
    )
    rationale = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why (required when you raise the level)",
    )

    def __init__(self, *args, topics: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        questions = {}
        for number, topic in topics.items():
            questions[f"q{number}"] = forms.ChoiceField(
                choices=list(ANSWERS.items()),
                widget=forms.RadioSelect(attrs={"class": "inline"}),
                label=f"{number}. {topic}",
            )
            questions[f"q{number}_comment"] = forms.CharField(
                max_length=COMMENT_MAX, required=False, label=f"Comment on {number}"
            )
        self.fields = {**questions, **self.fields}
        self.topics = topics

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            str(n): {"answer": data[f"q{n}"], "comment": data.get(f"q{n}_comment", "")}
            for n in self.topics
        }


class AttachForm(forms.Form):
    # An empty file is refused by the service, whose message names the file.
    file = forms.FileField(label="Photo or document", allow_empty_file=True)


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("", "Choose…"), *Outcome.choices])
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    agency = forms.CharField(max_length=120)
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label="Note")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[("", "Choose…"), *[(n, f"{n}") for n in range(1, 6)]],
        label="Quality (1 poor to 5 excellent)",
    )
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.Form):
    """Schedule a MARAC: an area (MASH hub) and a day."""

    hub = forms.ModelChoiceField(
        queryset=Hub.objects.all(), to_field_name="code", label="Area (MASH hub)"
    )
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")


class ListCaseForm(forms.Form):
    """List a case at a meeting: the drop-down offers the area's cases not yet listed; any other
    id is answered by the service (in words), not by a bare "invalid choice"."""

    case = forms.IntegerField(min_value=1, label="Case to list")

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose…")] + [
            (
                case.pk,
                f"{case.referral.reference}: {'; '.join(case.criteria_labels)} "
                f"(referred {case.referred_at:%d %b %Y})",
            )
            for case in cases
        ]
        self.fields["case"].widget = forms.Select(choices=choices)


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.role_label}, {obj.unit})"


class ActionForm(forms.Form):
    """An action agreed at MARAC: what, who owns it (a user who may hold it), by when."""

    text = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label="Action"
    )
    owner = OwnerChoice(queryset=None, label="Owner")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Deadline")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
