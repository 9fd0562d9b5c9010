"""The administration pages' forms. Each names its fields in the users' words; the services
check everything again and their errors come back on the field they name."""

from __future__ import annotations

from django import forms

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.roles import Role, UnitKind


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: Unit) -> str:
        return f"{unit.name} ({unit.get_kind_display().lower()})"


def _units(**filters):
    return Unit.objects.filter(**filters).order_by("path")


class UserSearchForm(forms.Form):
    q = forms.CharField(label="Name, username or collar number", required=False, max_length=100)
    unit = UnitChoiceField(queryset=_units(), required=False, empty_label="Any unit")
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)
    status = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("active", "Active"),
            ("disabled", "Disabled"),
            ("locked", "Locked out"),
        ],
        required=False,
    )
    synthetic = forms.BooleanField(label="Include the synthetic force's officers", required=False)


class AccountForm(forms.Form):
    """The fields an administrator sets on an account (username only when adding it)."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    collar_number = forms.CharField(label="Collar or staff number", max_length=20, required=False)
    email = forms.EmailField(label="Email address", required=False)
    role = forms.ChoiceField(choices=Role.choices)
    unit = UnitChoiceField(queryset=_units(), help_text="The team, district or force they work in.")


class NewAccountForm(AccountForm):
    username = forms.CharField(
        max_length=150,
        help_text="What they type to sign in: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    field_order = ["username", "first_name", "last_name", "collar_number", "email", "role", "unit"]


class DisableForm(forms.Form):
    reason = forms.CharField(
        label="Why is the account disabled?",
        max_length=500,
        help_text="For example: left the force on 3 December.",
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What will use the token?",
        max_length=100,
        help_text="For example: the control room's mapping system.",
    )
    days = forms.IntegerField(label="Days until it expires", min_value=1, max_value=366, initial=30)


class NewUnitForm(forms.Form):
    name = forms.CharField(max_length=120)
    code = forms.SlugField(
        max_length=40, help_text="A short name of lower-case letters, digits and hyphens."
    )
    kind = forms.ChoiceField(choices=UnitKind.choices)
    parent = UnitChoiceField(
        label="Inside",
        queryset=_units(kind__in=[UnitKind.FORCE, UnitKind.DISTRICT]),
        required=False,
        empty_label="Nothing (a force)",
    )


class RenameUnitForm(forms.Form):
    name = forms.CharField(max_length=120)


class MoveUnitForm(forms.Form):
    parent = UnitChoiceField(
        label="Move inside", queryset=_units(kind__in=[UnitKind.FORCE, UnitKind.DISTRICT])
    )


def user_choice(pk: str | None) -> User | None:
    return User.objects.filter(pk=pk).first() if pk and str(pk).isdigit() else None
