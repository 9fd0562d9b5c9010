"""Forms for POLE records. They only parse input; the services validate and write."""

from django import forms

from .choices import (
    Ethnicity,
    EventKind,
    EventRole,
    Gender,
    IdentifierKind,
    NameKind,
    WarningKind,
)
from .events import OTHER_KINDS, OWN_DOORS


class PersonForm(forms.Form):
    given_names = forms.CharField(max_length=120, required=False)
    family_name = forms.CharField(max_length=120, required=False)
    dob_day = forms.IntegerField(label="Day of birth", required=False, min_value=1, max_value=31)
    dob_month = forms.IntegerField(
        label="Month of birth", required=False, min_value=1, max_value=12
    )
    dob_year = forms.IntegerField(
        label="Year of birth", required=False, min_value=1800, max_value=2200
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.UNKNOWN)
    ethnicity = forms.ChoiceField(
        label="Self-defined ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NS
    )
    nationality = forms.CharField(max_length=60, required=False)


class NameForm(forms.Form):
    kind = forms.ChoiceField(choices=NameKind.choices, initial=NameKind.ALIAS)
    given_names = forms.CharField(max_length=120, required=False)
    family_name = forms.CharField(max_length=120, required=False)


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(choices=IdentifierKind.choices)
    value = forms.CharField(max_length=120)


class WarningForm(forms.Form):
    kind = forms.ChoiceField(label="Warning", choices=WarningKind.choices)
    source = forms.CharField(max_length=200, help_text="Where this comes from, e.g. PNC, a report")
    detail = forms.CharField(max_length=500, required=False)
    valid_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EventForm(forms.Form):
    """Events of the kinds no feature has its own door for (core.events.record_other_event)."""

    kind = forms.ChoiceField(
        choices=EventKind.choices,
        help_text="A crime is recorded with Record a crime; an incident from a call or New "
        "incident.",
    )
    summary = forms.CharField(max_length=300)
    occurred_from = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    town = forms.CharField(max_length=100, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    description = forms.CharField(label="Place description", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = OTHER_KINDS  # only the kinds recorded here

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind in OWN_DOORS:  # a crafted post, or a page left open from before
            raise forms.ValidationError(OWN_DOORS[EventKind(kind)])
        return kind


class LinkPersonForm(forms.Form):
    person = forms.IntegerField(label="Person number", min_value=1)
    role = forms.ChoiceField(choices=EventRole.choices)


class RestrictForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    grant_to = forms.CharField(
        label="Also give access to (usernames, comma-separated)", max_length=500, required=False
    )


def apply_errors(form: forms.Form, error) -> None:
    """Puts a service's ValidationError on the form, field by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(
                field if field in form.fields else None,
                [
                    f"{field.replace('_', ' ').capitalize()}: {m}"
                    if field not in form.fields
                    else m
                    for m in messages
                ],
            )
    else:
        form.add_error(None, error.messages)
