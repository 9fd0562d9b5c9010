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
chosen), audited: ``_record_choices``, the one writer of that table. See
docs/adding-a-feature.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import persons
from bluelamp.core import validation as v
from bluelamp.core.forms import PersonForm, apply_errors
from bluelamp.core.models import Person
from bluelamp.db import insert_rows

from . import services
from .models import EntryChoice

# Records offered at most: the first page an officer can read at a glance.
OFFERED = 10
NEW = "new"


@dataclass
class EntryOutcome:
    person: Person | None  # the person to link; None while the officer has still to choose
    offered: list[services.Match]
    created: bool = False


@dataclass
class Entry:
    """One person as a form or an API body gives them: an existing record by ``person_id``
    (chosen from a search), or ``details`` typed in with the officer's ``chosen`` answer to
    what was offered ("" not yet, "new", or an offered record's id). ``field`` names the entry
    in errors and offers: "victims[0]" in the API, the form's prefix on a page. ``postcode``,
    ``phone`` and ``email``, when known, sharpen the search for likely records."""

    field: str
    person_id: int | None = None
    details: persons.NewPerson | None = None
    chosen: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""


class ChooseFirst(Exception):  # noqa: N818 - a question for the officer, not a fault
    """Likely existing records for entries with nothing chosen yet, by entry ``field``: the
    officer (or API caller) must choose one or say "new" before anything is saved.

    The host's transaction rolls back with this question, and the audit row of the search with
    it, so the page or API handler that shows the records calls ``audited(actor)`` once the
    transaction is over: the records offered are a consultation of personal data."""

    def __init__(self, offered: dict[str, list[services.Match]]):
        super().__init__(", ".join(offered))
        self.offered = offered

    def audited(self, actor: User) -> ChooseFirst:
        audit.record_all(
            actor=actor,
            action=Action.SEARCH,
            entries=[
                (match.person, {"entry": field}, "entry match offered")
                for field, matches in self.offered.items()
                for match in matches
            ],
        )
        return self


def entry_query(details: dict, **contact: str) -> services.PersonQuery:
    """A search from a person's details as PersonForm gives them (and contact details)."""
    year, month, day = details.get("dob_year"), details.get("dob_month"), details.get("dob_day")
    dob = "-".join(f"{part:02d}" for part in (year, month, day) if part) if year else ""
    return services.PersonQuery(
        given_names=details.get("given_names") or "",
        family_name=details.get("family_name") or "",
        dob=dob,
        gender=details.get("gender") or "",
        **{k: value for k, value in contact.items() if value},
    )


def likely_people(*, actor: User, details: dict, **contact: str) -> list[services.Match]:
    """The records to offer for these details (audited as a search); none when too little is
    known to search on, since creating is then still allowed."""
    try:
        query = entry_query(details, **contact)
        matches = services.find_people(actor=actor, query=query).matches
    except ValidationError:
        return []
    # "Likely" means likely: a shared given name alone is not worth stopping the officer for.
    # The probability already weighs the force's size (people/services.py, the prior).
    floor = settings.BLUELAMP_ENTRY_OFFER_PROBABILITY
    return [match for match in matches if match.probability >= floor][:OFFERED]


def resolve_people(*, actor: User, context: str, entries: list[Entry]) -> list[Person]:
    """The people these entries are, in order: match-on-entry for every form and API operation
    that takes people (issue 4). Existing records are checked visible; typed details are
    validated first (errors name ``<field>.<detail>``), then searched; if any entry has likely
    records and nothing chosen, ``ChooseFirst`` says which, and nothing is saved. Otherwise the
    new people are made together (one insert per table) and each choice is kept
    (``EntryChoice``, audited). Call it inside the host's transaction (it opens none, so that
    ``ChooseFirst`` leaves that transaction usable), so a refusal later in the host's own
    service rolls the people back too."""
    typed = [entry for entry in entries if entry.person_id is None]
    if typed:
        require(actor, "person.create")
    errors = {}
    for entry in typed:
        if entry.details is None:
            errors[f"{entry.field}.family_name"] = "Choose a known person or give a name."
            continue
        for name, message in persons.check_new_person(entry.details).items():
            errors[f"{entry.field}.{name}"] = message
    if errors:
        raise ValidationError(errors)
    found: dict[str, Person] = {}
    offered, to_create, choices = {}, [], []
    for entry in entries:
        if entry.person_id is not None:
            found[entry.field] = _visible(actor, entry.person_id, f"{entry.field}.id")
            if entry.details is not None:
                # Typed, then chosen from a search as they typed (the search itself audited):
                # kept like any other choice, with what was typed.
                query = entry_query(asdict(entry.details))
                choices.append((entry, query, []))
    for entry in typed:
        details = asdict(entry.details)
        contact = {"postcode": entry.postcode, "phone": entry.phone, "email": entry.email}
        query = entry_query(details, **contact)
        chosen = (entry.chosen or "").strip()
        if chosen == NEW:
            # "None of these": the officer has answered the records offered (on the page a
            # moment ago, or as they typed; an API caller from its 409 or its own search), so
            # the search is not run again: a person recorded despite a likely match is found
            # later by de-duplication (people/dedupe.py), which compares every new record.
            to_create.append(entry)
            choices.append((entry, query, []))
            continue
        likely = likely_people(actor=actor, details=details, **contact)
        if chosen == "" and likely:
            offered[entry.field] = likely
        elif chosen == "":
            to_create.append(entry)
            choices.append((entry, query, likely))
        else:
            if not chosen.isdigit() or int(chosen) not in {m.person.pk for m in likely}:
                raise ValidationError(
                    {f"{entry.field}.chosen": "Choose one of the records offered, or a new person."}
                )
            found[entry.field] = _visible(actor, int(chosen), f"{entry.field}.chosen")
            choices.append((entry, query, likely))
    if offered:
        raise ChooseFirst(offered)
    if to_create:
        made = persons.create_people(actor=actor, people=[e.details for e in to_create])
        found.update((entry.field, person) for entry, person in zip(to_create, made, strict=True))
    _record_choices(actor, context, [(q, o, found[e.field], e in to_create) for e, q, o in choices])
    return [found[entry.field] for entry in entries]


def _visible(actor: User, pk: int, field: str) -> Person:
    try:
        return get_visible(Person.objects.all(), actor, pk)
    except Http404:  # a restricted person does not exist for this user
        raise ValidationError({field: f"There is no person {pk}."}) from None


def _record_choices(actor: User, context: str, choices: list[tuple]) -> None:
    """Keeps what each officer was offered and chose, in one insert (see EntryChoice)."""
    if not choices:
        return
    context = v.clean_text(context, field="context", max_length=40, required=True)
    now = timezone.now()
    rows = [
        EntryChoice(
            context=context,
            entered=query.as_dict(),
            offered=[{"person": m.person.pk, "probability": m.probability} for m in offered],
            chosen=None if created else person,
            created_new=created,
            actor=actor,
            at=now,
        )
        for query, offered, person, created in choices
    ]
    insert_rows(rows)
    for action, created_new in ((Action.LINK, False), (Action.CREATE, True)):
        entries = [
            (
                person,
                {"offered": len(offered), "chosen": None if created else person.pk},
                f"entry match ({context})",
            )
            for _query, offered, person, created in choices
            if created is created_new
        ]
        if entries:
            audit.record_all(actor=actor, action=action, entries=entries)


@transaction.atomic
def resolve_person(*, actor: User, context: str, details: dict, chosen: str = "") -> EntryOutcome:
    """One person entered on a page: an offered existing record, a new one, or (None) not yet
    decided because likely records must be offered first. ``details`` are PersonForm's cleaned
    data; ``chosen`` is "" (not yet), "new", or the id of an offered record."""
    entry = Entry(field="person", details=persons.NewPerson(**details), chosen=chosen)
    try:
        (person,) = resolve_people(actor=actor, context=context, entries=[entry])
    except ChooseFirst as ask:
        return EntryOutcome(person=None, offered=ask.offered["person"])
    except ValidationError as error:
        raise ValidationError(
            {key.split(".", 1)[1]: message for key, message in error.message_dict.items()}
        ) from None
    return EntryOutcome(person=person, offered=[], created=entry.chosen.strip() in ("", NEW))


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
