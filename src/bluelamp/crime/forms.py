"""Forms for recording a crime and for the crime panel's actions. They only parse input; the
services validate and write."""

from __future__ import annotations

from django import forms

from bluelamp.accounts.models import Unit
from bluelamp.core.choices import ContactChannel, ObjectRole
from bluelamp.people.entry import PersonEntryForm
from bluelamp.reference import offences

from .qa import QA_FIELDS
from .rules import CRIME_FLAGS, CancellationReason, outcome_choices

DATE = forms.DateInput(attrs={"type": "date"})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ROLES = (("victim", "Victim"), ("suspect", "Suspect"), ("witness", "Witness"))


def _offence_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[], label="Offence (Home Office code)", **kwargs)


def flags_field() -> forms.MultipleChoiceField:
    """The crime flags set when a crime is recorded (crime/rules.py CRIME_FLAGS)."""
    return forms.MultipleChoiceField(
        choices=list(CRIME_FLAGS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Crime flags",
        help_text="Domestic abuse and hate crime give the victims enhanced rights.",
    )


class CrimeForm(forms.Form):
    summary = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    offence_code = _offence_field()
    flags = flags_field()
    owning_unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label="Team")
    incident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    occurred_from = forms.DateTimeField(required=False, widget=WHEN, label="Happened from")
    occurred_to = forms.DateTimeField(required=False, widget=WHEN, label="Happened to")
    line1 = forms.CharField(max_length=200, required=False, label="Where: address")
    postcode = forms.CharField(max_length=10, required=False, label="Where: postcode")
    modus_operandi = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Modus operandi (how it was done)",
    )
    property_description = forms.CharField(max_length=300, required=False, label="Property")
    property_role = forms.ChoiceField(
        choices=ObjectRole.choices, initial=ObjectRole.STOLEN, label="The property was"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence_code"].choices = offence_choices()


# What, typed on a person's row, means a person is meant (a row left blank is skipped).
DETAILS = ("dob_day", "dob_month", "dob_year", "nationality", "phone", "email", "line1", "postcode")


class PartyForm(PersonEntryForm):
    """One person on the crime: who (match-on-entry: a record chosen from the search as the
    officer types, held in ``person_id``, or details typed with the officer's ``chosen``
    answer to the records offered) and, for a victim, how to reach them (domain.md 1.4)."""

    role = forms.ChoiceField(choices=ROLES, initial="victim", label="They are the")
    person_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    phone = forms.CharField(max_length=30, required=False, label="Victim's phone number")
    email = forms.EmailField(max_length=254, required=False, label="Victim's email address")
    line1 = forms.CharField(max_length=200, required=False, label="Victim's home address")
    postcode = forms.CharField(max_length=10, required=False, label="Victim's postcode")
    preferred = forms.ChoiceField(
        choices=[("", "Not asked yet")] + list(ContactChannel.choices),
        required=False,
        label="How the victim would like to hear from us",
    )

    field_order = ["role", "given_names", "family_name", "dob_day", "dob_month", "dob_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = False
        self.fields["ethnicity"].required = False
        self.fields["family_name"].help_text = "Or a description, such as 'Unknown male'."

    def clean(self):
        data = super().clean()
        named = data.get("person_id") or data.get("given_names") or data.get("family_name")
        typed = [name for name in DETAILS if data.get(name)]
        if typed and not named:
            self.add_error("family_name", "Give at least a family name or a given name.")
        return data

    def has_person(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("person_id") or data.get("given_names") or data.get("family_name"))


PartyFormSet = forms.formset_factory(PartyForm, extra=0, max_num=30, validate_max=True)


def offence_choices() -> list:
    return [("", "Choose an offence")] + offences.grouped_choices()


class ReclassifyForm(forms.Form):
    offence_code = _offence_field()
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence_code"].choices = offence_choices()


class CancelForm(forms.Form):
    reason = forms.ChoiceField(choices=CancellationReason.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    receiving_force = forms.CharField(
        max_length=120, required=False, label="Receiving force (C1 transfers)"
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("", "Choose an outcome")] + outcome_choices())
    outcome_date = forms.DateField(required=False, widget=DATE, help_text="Today if left blank.")
    suspect = forms.TypedChoiceField(
        choices=[], required=False, coerce=int, empty_value=None, label="Named suspect"
    )
    victim_decision = forms.CharField(
        max_length=1000, required=False, label="The victim's decision (outcomes 14 and 16)"
    )
    victim_views = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="The victim's views (outcome 8, community resolution)",
    )
    rationale = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Rationale (outcome 21)",
    )
    receiving_body = forms.CharField(
        max_length=200, required=False, label="Receiving body (outcome 20)"
    )

    def __init__(self, *args, suspects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspect"].choices = [("", "No suspect")] + [
            (p.pk, p.display_name) for p in suspects
        ]


class ReturnForm(forms.Form):
    """Up to three problems per return; each names the part of the record and what is wrong."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parts = [("", "Choose the part")] + list(QA_FIELDS.items())
        for n in range(1, 4):
            self.fields[f"field_{n}"] = forms.ChoiceField(
                choices=parts, required=False, label=f"Problem {n}: part of the record"
            )
            self.fields[f"text_{n}"] = forms.CharField(
                max_length=1000, required=False, label=f"Problem {n}: what is wrong"
            )

    def problems(self) -> list[dict]:
        return [
            {"field": self.cleaned_data[f"field_{n}"], "text": self.cleaned_data[f"text_{n}"]}
            for n in range(1, 4)
        ]


class VictimStatementForm(forms.Form):
    person = forms.TypedChoiceField(choices=[], coerce=int, label="Victim")
    taken_at = forms.DateTimeField(
        required=False, widget=WHEN, label="Taken at", help_text="Now if left blank."
    )

    def __init__(self, *args, victims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.display_name) for p in victims]


class PriorityForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why it should be checked first")
