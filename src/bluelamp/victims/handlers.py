"""The worker's side of victims/: referrals to victim support services as soon as they are due
(never after quality assurance), and the satisfaction survey after the outcome."""

from bluelamp.duties.registry import handles

from . import outreach
from .models import VictimRecord


@handles("victim.recorded")
@handles("victim.needs_assessed")
def refer_to_victim_support(event) -> None:
    victim = VictimRecord.objects.filter(pk=event.subject_id).first()
    if victim is not None:
        outreach.send_referral(victim=victim)


@handles("crime.outcome_recorded")
def survey_victims(event) -> None:
    if str(event.payload.get("outcome", "0")) == "0":
        return
    for victim in VictimRecord.objects.filter(crime_id=event.subject_id):
        outreach.send_survey(victim=victim)
