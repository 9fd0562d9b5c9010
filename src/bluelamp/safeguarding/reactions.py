"""safeguarding/'s own reactions to a submitted referral, in the submitting transaction: a
domestic abuse referral that meets a MARAC criterion opens the case (marac.py), and a high-risk
one goes to the IDVA service through the outbox (notify). Nothing waits on a worker."""

from __future__ import annotations

from django.conf import settings

from bluelamp.duties.registry import reacts_to
from bluelamp.notify import services as notify

from . import marac
from .models import Concern, RiskAssessment, RiskLevel


@reacts_to("safeguarding.referral_submitted")
def open_marac_and_idva(event, referral) -> None:
    actor = getattr(event, "actor_user", None)
    marac.consider(actor=actor, referral=referral)
    if referral.risk_level == RiskLevel.HIGH and referral.concern == Concern.DOMESTIC_ABUSE:
        assessment = RiskAssessment.objects.filter(referral=referral).first()
        notify.send(
            template="idva-referral",
            to=settings.BLUELAMP_IDVA_EMAIL,
            personalisation={
                "referral": referral.reference,
                "score": assessment.score if assessment else "not scored",
                "risk": referral.risk_level,
                "hub": referral.hub.name,
                "officer": referral.created_by_name,
            },
            idempotency_key=f"idva-referral-{referral.pk}",
            about=referral,
            reference=referral.reference,
            actor=actor,
        )
