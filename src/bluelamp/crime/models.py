"""Crime recording decisions on incidents, allocation of work, and supervisors' reviews. Issue 5
builds full recording, classification, investigation and outcomes on top of these."""

from django.conf import settings
from django.db import models

from bluelamp.core.models import Event, Person

# The investigation's models (investigation/models.py) belong to this app: importing them here
# registers them with Django under the crime label.
from .investigation import models as _investigation_models  # noqa: F401
from .rules import AuthorityKind, CancellationReason


class Decision(models.TextChoices):
    CRIMED = "crimed", "Recorded as a crime"
    NO_CRIME = "no_crime", "Not a crime"
    # domain.md 4.3 N100: a reported rape or attempted rape not recorded as a confirmed rape.
    N100 = "n100", "N100: reported rape not recorded as a confirmed rape"
    # domain.md 4.1: fraud is recorded by Action Fraud and the NFIB, not by local forces [S28].
    FRAUD = "fraud", "Fraud: referred to Action Fraud"


class IncidentReport(models.Model):
    """What the call handler recorded about an incident that matters for crime recording."""

    incident = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="crime_report")
    may_be_crime = models.BooleanField()
    # domain.md 4.3 N100: the report may be of a rape or attempted rape. Such a report leaves
    # recording only as a confirmed rape crime or with an N100 record.
    may_be_rape = models.BooleanField(default=False)
    # NCRS (domain.md 4): when an incident not first marked as a possible crime was later found
    # to involve one; the 24-hour recording decision runs from then.
    crime_identified_at = models.DateTimeField(null=True, blank=True)


class RecordingDecision(models.Model):
    """The National Crime Recording Standard decision on an incident (domain.md §4)."""

    incident = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="recording_decision"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    offence_code = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=1000)
    crime = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="recorded_from"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()


class Allocation(models.Model):
    """A piece of work (an event) given to an officer."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="allocations")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField()

    class Meta:
        ordering = ["-allocated_at", "-id"]


class SupervisorReview(models.Model):
    """A supervisor's review of a piece of work, with the direction given: the "supervisory
    footprint" the 2018 report found missing in 29 of 60 files."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="supervisor_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    direction = models.TextField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]


class Crime(models.Model):
    """A recorded crime: the crime's own detail beside its core Event (kind "crime"). Issue 5
    adds classification history, cancellation, investigation and outcomes around it."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="crime")
    incident = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="crimes_recorded"
    )
    offence_code = models.CharField(max_length=10, blank=True)
    # HOCR crime flags set when the crime is recorded (codes from rules.CRIME_FLAGS): domestic
    # abuse and hate crime, which give the victims enhanced rights (domain.md 1.3).
    flags = models.JSONField(default=list, blank=True)
    modus_operandi = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.event.reference


class VictimStatement(models.Model):
    """A victim's witness statement was taken: the moment the Victim Personal Statement is
    offered (domain.md 1.5 [S8]: "usually after the witness statement")."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="victim_statements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["taken_at", "id"]


class InvestigationUpdate(models.Model):
    """An entry in a crime's investigation log. One marked for the victim is shown in their portal
    and sent to them by their chosen channel (victims/)."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="investigation_updates")
    text = models.TextField()
    victim_visible = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]


# --- classification, cancellation, N100, fraud referral, outcomes and QA (crime recording) ----


class Classification(models.Model):
    """One step in a crime's classification history: the code it was recorded under (from is
    blank) or a reclassification, with the reason, who and when (HOCR section B)."""

    crime = models.ForeignKey(Crime, on_delete=models.PROTECT, related_name="classifications")
    from_code = models.CharField(max_length=10, blank=True)
    to_code = models.CharField(max_length=10)
    reason = models.CharField(max_length=1000)
    # Blank only for a step a data migration wrote (the reason names the migration).
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    classified_at = models.DateTimeField()

    class Meta:
        ordering = ["classified_at", "id"]


class DecisionMakerAuthority(models.Model):
    """A named person's authority to cancel crimes (domain.md 4.3): a Designated Decision Maker
    or the Force Crime Registrar, given and withdrawn by senior leaders."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crime_authorities"
    )
    kind = models.CharField(max_length=3, choices=AuthorityKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_authority_per_kind",
            )
        ]


class Cancellation(models.Model):
    """A recorded crime cancelled for one of the HOCR reasons C1-C4 (domain.md 4.3)."""

    crime = models.OneToOneField(Crime, on_delete=models.PROTECT, related_name="cancellation")
    reason = models.CharField(max_length=2, choices=CancellationReason.choices)
    rationale = models.TextField()
    receiving_force = models.CharField(max_length=120, blank=True)  # C1 transfers
    authority = models.CharField(max_length=3, choices=AuthorityKind.choices)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField()


class N100Record(models.Model):
    """domain.md 4.3 N100 [S31]: a reported rape or attempted rape not immediately recorded as a
    confirmed rape, kept with the reason so it can be audited."""

    incident = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="n100")
    offence_code = models.CharField(max_length=10)
    reason = models.CharField(max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()


class ActionFraudReferral(models.Model):
    """domain.md 4.1: fraud is recorded by Action Fraud / NFIB, not locally; the incident keeps
    the referral's reference, date and who made it [S28]."""

    incident = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="action_fraud_referrals"
    )
    offence_code = models.CharField(max_length=10)
    reference = models.CharField(max_length=40)
    referred_on = models.DateField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()


class CrimeOutcome(models.Model):
    """The Home Office outcome (domain.md 5) given to a crime, who authorised it and when."""

    crime = models.OneToOneField(Crime, on_delete=models.PROTECT, related_name="outcome")
    outcome = models.CharField(max_length=3)
    suspect = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    victim_decision = models.CharField(max_length=1000, blank=True)  # 14 and 16
    victim_views = models.CharField(max_length=1000, blank=True)  # 8 (community resolution)
    rationale = models.TextField(blank=True)  # 21
    receiving_body = models.CharField(max_length=200, blank=True)  # 20
    outcome_date = models.DateField()
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()


class QAStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a check"
    RETURNED = "returned", "Returned for correction"
    ACCEPTED = "accepted", "Accepted"


class QACheck(models.Model):
    """The investigations management unit's check of a new crime record. It never blocks the
    officer: the crime stays visible and workable whatever the status (2018 report: a four-week
    QA backlog hid crimes from officers and delayed victim referrals)."""

    crime = models.OneToOneField(Crime, on_delete=models.PROTECT, related_name="qa_check")
    status = models.CharField(max_length=10, choices=QAStatus.choices, default=QAStatus.WAITING)
    submitted_at = models.DateTimeField()  # first recorded, or last resubmitted
    priority = models.BooleanField(default=False)
    priority_reason = models.CharField(max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(default=0)  # returns so far


class QAProblem(models.Model):
    """One problem QA found when returning a crime record: the field and what is wrong."""

    qa_check = models.ForeignKey(QACheck, on_delete=models.PROTECT, related_name="problems")
    round = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=60)
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["round", "id"]
