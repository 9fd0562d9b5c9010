"""Investigation records beside a crime: officers' skills and the offences that need them, the
investigation plan (lines of enquiry, the victim's wishes), what happened to each suspect, the
decision not to investigate further, forensic decisions and digital examination requests.

Written only by services.py and suspects.py beside it. Every record hangs off the crime's core
Event. The models belong to the crime app (its label, tables and migrations): crime/models.py
imports this module so Django registers them."""

from django.conf import settings
from django.db import models

from bluelamp.core.models import Event, Person, PoleObject

USER = settings.AUTH_USER_MODEL


class Skill(models.TextChoices):
    """Accreditations that decide who may investigate what."""

    PIP1 = "pip1", "PIP level 1 (volume crime investigator)"
    PIP2 = "pip2", "PIP level 2 (detective)"
    STO = "sto", "Specially trained officer (serious sexual offences)"
    FRAUD = "fraud", "Trained fraud investigator"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse trained"
    CHILD_ABUSE = "child_abuse", "Child abuse investigator"


class OfficerSkill(models.Model):
    """One officer holds one skill (a row per skill, so "who can take this?" is one query)."""

    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="skills")
    skill = models.CharField(max_length=20, choices=Skill.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer", "skill"], name="one_row_per_officer_skill")
        ]


class SkillRequirement(models.Model):
    """The rule table: a crime whose Home Office offence code starts with ``offence_prefix`` needs
    an officer holding one of the skills listed against the longest matching prefix. Seeded by
    the migration with defaults a force may change."""

    offence_prefix = models.CharField(max_length=10, db_index=True)
    skill = models.CharField(max_length=20, choices=Skill.choices)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["offence_prefix", "skill"]
        constraints = [
            models.UniqueConstraint(
                fields=["offence_prefix", "skill"], name="one_requirement_per_prefix_skill"
            )
        ]


class SkillOverride(models.Model):
    """A supervisor's authority to allocate a crime to an officer without the skill it needs,
    with the reason. Written just before the allocation it permits, and tied to it."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="skill_overrides")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skills_needed = models.JSONField(default=list)
    reason = models.CharField(max_length=1000)
    authorised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    authorised_at = models.DateTimeField()
    allocation = models.OneToOneField(
        "crime.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="skill_override",
    )


class EnquiryKind(models.TextChoices):
    HOUSE_TO_HOUSE = "house_to_house", "House-to-house"
    CCTV = "cctv", "CCTV"
    FORENSIC = "forensic", "Forensic"
    DIGITAL = "digital", "Digital"
    WITNESS_STATEMENT = "witness_statement", "Witness statement"
    OTHER = "other", "Other"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible"


class EnquiryLine(models.Model):
    """A line of enquiry in the investigation plan (the 2018 file review: "all lines of enquiry
    followed" in only 47 of 60 crimes, domain.md §10)."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="enquiry_lines")
    kind = models.CharField(max_length=20, choices=EnquiryKind.choices)
    description = models.CharField(max_length=500)
    status = models.CharField(
        max_length=15, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )
    result = models.TextField(blank=True)
    not_possible_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class Wish(models.TextChoices):
    SUPPORTS = "supports", "Supports a prosecution"
    DOES_NOT_SUPPORT = "does_not_support", "Does not support a prosecution"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"


class ProsecutionWish(models.Model):
    """What the victim said about prosecution, and when. Kept as a history; the latest counts
    (outcomes 14 and 16 rest on it)."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="prosecution_wishes")
    victim = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wish = models.CharField(max_length=20, choices=Wish.choices)
    stated_on = models.DateField()
    note = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-stated_on", "-recorded_at", "-id"]


class SuspectStep(models.TextChoices):
    ARRESTED = "arrested", "Arrested"
    INTERVIEWED = "interviewed", "Interviewed under caution"
    RELEASED = "released", "Released"
    DISPOSED = "disposed", "Charged or other disposal"


class Release(models.TextChoices):
    NFA = "nfa", "No further action"
    BAIL = "bail", "Pre-charge bail"
    RUI = "rui", "Released under investigation"


class Disposal(models.TextChoices):
    CHARGE = "charge", "Charged"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    NO_PROSECUTION = "no_prosecution", "Decision not to prosecute"


class SuspectAction(models.Model):
    """One step in a suspect's path through the investigation. Each emits the event victims/
    listens to, so the victim is told within 1 or 5 working days (domain.md §1.4)."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="suspect_actions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=12, choices=SuspectStep.choices)
    occurred_at = models.DateTimeField()
    release = models.CharField(max_length=5, choices=Release.choices, blank=True)
    bail_conditions = models.CharField(max_length=1000, blank=True)
    bail_conditions_changed = models.BooleanField(default=False)
    bail_end = models.DateField(null=True, blank=True)
    # Set on a release on bail when the suspect's next release decision or disposal ends it.
    bail_ended_at = models.DateTimeField(null=True, blank=True)
    disposal = models.CharField(max_length=15, choices=Disposal.choices, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        # A duty's label: the crime's reference, never the suspect's name.
        return f"{self.crime.reference} suspect {self.get_step_display().lower()}"


class NotInvestigatedReason(models.TextChoices):
    NO_LINES_OF_ENQUIRY = "no_lines_of_enquiry", "No proportionate lines of enquiry"
    ENQUIRIES_COMPLETE = "enquiries_complete", "All proportionate enquiries complete"
    VICTIM_DOES_NOT_SUPPORT = "victim_does_not_support", "Victim does not support"
    OTHER = "other", "Other (explained)"


class NoFurtherInvestigation(models.Model):
    """The decision not to investigate further, with the explanation owed to the victim
    (Victims' Code right 6; domain.md §1.4: tell them within 5 working days, 1 enhanced)."""

    crime = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="no_further_investigation"
    )
    reason = models.CharField(max_length=30, choices=NotInvestigatedReason.choices)
    explanation = models.CharField(max_length=2000)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]


class ForensicDecisionKind(models.TextChoices):
    SCENE_ATTENDANCE = "scene_attendance", "Crime scene attendance"
    SUBMISSION = "submission", "Forensic submission"


class ForensicDecision(models.Model):
    """Whether a crime scene investigator attends, or material is submitted for analysis, always
    with the rationale (the 2014 report's recommendation that these decisions be recorded)."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="forensic_decisions")
    kind = models.CharField(max_length=20, choices=ForensicDecisionKind.choices)
    decided_yes = models.BooleanField()
    rationale = models.CharField(max_length=2000)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]


class ExaminationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    EXAMINED = "examined", "Examined"
    RETURNED = "returned", "Returned unexamined"


# The statuses a request may move to from each status; the finished ones move nowhere.
EXAMINATION_NEXT = {
    ExaminationStatus.REQUESTED: (ExaminationStatus.ACCEPTED, ExaminationStatus.RETURNED),
    ExaminationStatus.ACCEPTED: (ExaminationStatus.EXAMINED, ExaminationStatus.RETURNED),
    ExaminationStatus.EXAMINED: (),
    ExaminationStatus.RETURNED: (),
}


class DeviceExamination(models.Model):
    """A request to examine a digital device: the digital forensic unit's queue."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="device_examinations")
    device = models.ForeignKey(
        PoleObject, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device_description = models.CharField(max_length=300, blank=True)
    what_is_sought = models.CharField(max_length=1000)
    status = models.CharField(
        max_length=10, choices=ExaminationStatus.choices, default=ExaminationStatus.REQUESTED
    )
    result = models.TextField(blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]

    @property
    def device_label(self) -> str:
        return str(self.device) if self.device_id else self.device_description
