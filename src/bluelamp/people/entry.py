"""Match-on-entry as a piece any feature form can embed (issue 4: "wherever a person is entered
(call, crime, referral, ASB), the form offers likely existing nominals before creating a new one,
and the officer's choice is recorded").

A host page (recording a crime, say) adds a ``PersonEntry`` per person it takes, renders it with
``{% include "people/_person_entry.html" with entry=victim %}`` inside its own ``<form>``, and on
POST calls ``entry.resolve()`` inside the same ``transaction.atomic`` as its own service call:

- nothing chosen yet and likely records exist: ``resolve()`` returns None and the page is shown
  again with them offered (what was typed is kept);
- nothing likely: a new person is created (nothing to choose from, nothing to ask);
- an offered record chosen: that person, after a visibility check;
- "new" chosen: a new person.

Every outcome with a person writes an ``EntryChoice`` (what was typed, what was offered, what was
chosen) through ``services.record_entry_choice``. See docs/adding-a-feature.md."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require
from bluelamp.core import persons
from bluelamp.core.forms import PersonForm, apply_errors
from bluelamp.core.models import Person

from . import services

# Records offered at most: the first page an officer can read at a glance.
OFFERED = 10
NEW = "new"


@dataclass
class EntryOutcome:
    person: Person | None  # the person to link; None while the officer has still to choose
    offered: list[services.Match]
    created: bool = False


def entry_query(details: dict) -> services.PersonQuery:
    """A search from a person's details as PersonForm gives them."""
    year, month, day = details.get("dob_year"), details.get("dob_month"), details.get("dob_day")
    dob = "-".join(f"{part:02d}" for part in (year, month, day) if part) if year else ""
    return services.PersonQuery(
        given_names=details.get("given_names") or "",
        family_name=details.get("family_name") or "",
        dob=dob,
        gender=details.get("gender") or "",
    )


def likely_people(*, actor: User, details: dict) -> list[services.Match]:
    """The records to offer for these details (audited as a search); none when too little is
    known to search on, since creating is then still allowed."""
    try:
        matches = services.find_people(actor=actor, query=entry_query(details)).matches
    except ValidationError:
        return []
    # "Likely" means likely: a shared given name alone is not worth stopping the officer for.
    # The probability already weighs the force's size (people/services.py, the prior).
    floor = settings.BLUELAMP_ENTRY_OFFER_PROBABILITY
    return [match for match in matches if match.probability >= floor][:OFFERED]


@transaction.atomic
def resolve_person(*, actor: User, context: str, details: dict, chosen: str = "") -> EntryOutcome:
    """Which person these details are: an offered existing record, a new one, or (None) not yet
    decided because likely records must be offered first. ``details`` are PersonForm's cleaned
    data; ``chosen`` is "" (not yet), "new", or the id of an offered record."""
    require(actor, "person.create")
    offered = likely_people(actor=actor, details=details)
    query = entry_query(details)
    chosen = (chosen or "").strip()
    if chosen == "" and offered:
        return EntryOutcome(person=None, offered=offered)
    if chosen in ("", NEW):
        person = persons.create_person(actor=actor, **details)
        services.record_entry_choice(
            actor=actor, context=context, query=query, offered=offered, chosen=None
        )
        return EntryOutcome(person=person, offered=offered, created=True)
    offered_ids = {match.person.pk for match in offered}
    if not chosen.isdigit() or int(chosen) not in offered_ids:
        raise ValidationError(
            {"chosen": "Choose one of the records offered, or record a new person."}
        )
    person = get_visible(Person.objects.all(), actor, int(chosen))
    services.record_entry_choice(
        actor=actor, context=context, query=query, offered=offered, chosen=person
    )
    return EntryOutcome(person=person, offered=offered)


class PersonEntryForm(PersonForm):
    """A person's details plus the officer's choice among the records offered (rendered as
    radios by people/_person_entry.html, so hidden here)."""

    chosen = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class PersonEntry:
    """One person entered on a host form. ``prefix`` keeps two people on one page apart
    ("victim", "suspect"); ``context`` is recorded with the choice ("crime", "call", ...)."""

    def __init__(self, data=None, *, actor: User, context: str, prefix: str = "person"):
        self.actor, self.context, self.prefix = actor, context, prefix
        self.form = PersonEntryForm(data, prefix=prefix)
        self.offered: list[services.Match] | None = None
        self.outcome: EntryOutcome | None = None

    @property
    def chosen_name(self) -> str:
        return self.form.add_prefix("chosen")

    @property
    def chosen_value(self) -> str:
        return self.form.data.get(self.chosen_name, "") if self.form.is_bound else ""

    def resolve(self) -> Person | None:
        """The person to link, or None: the page must be shown again (with records offered, or
        with errors on this entry's fields). Call it inside the host's transaction.atomic, so
        that if the host's own service then fails the new person and the choice roll back."""
        if not self.form.is_valid():
            return None
        details = {k: v for k, v in self.form.cleaned_data.items() if k != "chosen"}
        try:
            self.outcome = resolve_person(
                actor=self.actor,
                context=self.context,
                details=details,
                chosen=self.form.cleaned_data["chosen"],
            )
        except ValidationError as error:
            apply_errors(self.form, error)
            self.offered = likely_people(actor=self.actor, details=details)
            return None
        self.offered = self.outcome.offered
        return self.outcome.person
