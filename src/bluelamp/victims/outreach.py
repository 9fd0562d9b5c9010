"""What goes out to victims and partners, queued through the notify outbox by the worker: the
referral to victim support services (Victims' Code right 4) and the satisfaction survey after
the outcome (domain.md 10). Also the survey's answers, which come back through a tokenised link.

Consent to a referral (documented in docs/victims.md): the police pass a victim's details to
victim support services once the victim consents at the needs assessment. Victims with enhanced
rights for a reason in BLUELAMP_REFERRAL_WITHOUT_CONSENT (default: the most serious crimes) are
referred automatically unless they decline (opt-out), so the 2-working-day limit is met even
before anyone has reached them, except the victims in rules.REFERRAL_ON_CONSENT_ONLY (sexual
offences, domestic abuse, bereaved relatives; domain.md 1.4), who are referred only with their
consent. Nothing here waits on quality assurance (domain.md 10:
victim services fed within 24 hours; the 2018 report found referrals 4 weeks behind QA)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import ContactChannel
from bluelamp.core.history import log_change
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.services import emit
from bluelamp.notify import services as notify

from . import entitlement, rules
from .models import Consent, EnhancedReason, Referral, Survey, VictimRecord


def consent_only_because(victim: VictimRecord) -> list[str]:
    """The rows of rules.REFERRAL_ON_CONSENT_ONLY this victim falls under (domain.md 1.4):
    their details go to victim support services only once they consent."""
    categories = entitlement.referral_categories(victim)
    on = timezone.localdate(victim.opened_at) if victim.opened_at else timezone.localdate()
    return [r.category for r in rules.referral_consent_rules(on) if r.category in categories]


def referral_due(victim: VictimRecord) -> tuple[bool, bool]:
    """(send now, automatically without consent). Automatic referral only where the rules
    allow it: never for a victim under a consent-only row (rules.REFERRAL_ON_CONSENT_ONLY)."""
    if hasattr(victim, "referral") or victim.referral_consent == Consent.DECLINED:
        return False, False
    if victim.referral_consent == Consent.GIVEN:
        return True, False
    if consent_only_because(victim):
        return False, False
    automatic = set(victim.enhanced_reasons) & set(settings.BLUELAMP_REFERRAL_WITHOUT_CONSENT)
    return bool(automatic), bool(automatic)


def _contact_line(victim: VictimRecord) -> str:
    if victim.do_not_contact:
        return "The victim has asked not to be contacted directly; contact the officer in case."
    parts = [f"Preferred: {victim.get_channel_display()}"]
    if victim.phone:
        parts.append(f"phone {victim.phone}")
    if victim.email:
        parts.append(f"email {victim.email}")
    if victim.times_to_avoid:
        parts.append(f"avoid {victim.times_to_avoid}")
    if victim.contact_instead:
        parts.append(f"contact instead: {victim.contact_instead}")
    return "; ".join(parts)


@transaction.atomic
def send_referral(*, victim: VictimRecord) -> Referral | None:
    """Queues the structured referral to the partner (once) and emits ``victim.referred``, which
    discharges the referral duty. Run by the worker (handlers.py); returns None if not due."""
    victim = (
        VictimRecord.objects.select_for_update().select_related("crime", "person").get(pk=victim.pk)
    )
    send, automatic = referral_due(victim)
    if not send:
        return None
    crime = victim.crime
    oic = crime.officer_in_case
    reasons = ", ".join(EnhancedReason(r).label for r in victim.enhanced_reasons) or "none"
    message = notify.send(
        template="victim-support-referral",
        to=settings.BLUELAMP_VICTIM_SUPPORT_EMAIL,
        personalisation={
            "crime_reference": crime.reference,
            "victim_reference": str(victim.pk),
            "name": victim.person.display_name,
            "contact": _contact_line(victim),
            "safe_to_write": "yes" if victim.safe_to_write else "NO - do not write to the victim",
            "enhanced": reasons,
            "offence": getattr(getattr(crime, "crime", None), "offence_code", "") or "not known",
            "consent": "given" if not automatic else "automatic referral (most serious crime)",
            "officer": oic.display_name if oic else crime.owning_unit.name,
            "reported": f"{timezone.localtime(crime.reported_at, LONDON):%d %b %Y}",
        },
        idempotency_key=f"victim-referral:{victim.pk}",
        about=victim.person,
        reference=crime.reference,
    )
    referral = Referral.objects.create(
        victim=victim,
        consent=victim.referral_consent,
        automatic=automatic,
        partner=settings.BLUELAMP_VICTIM_SUPPORT_EMAIL,
        message=message,
        sent_at=timezone.now(),
    )
    # A job's act (no actor): history and the event, no audit row, as before issue 15.
    log_change(actor=None, obj=referral, action="create", subject=victim, summary="Referred")
    emit("victim.referred", subject=victim, actor=None, payload={"referral": referral.pk})
    return referral


def _survey_channel(victim: VictimRecord) -> tuple[str, str] | None:
    """(template, address), or None when a survey could harm or is unwanted: a victim who asked
    not to be contacted, or for whom writing is unsafe (domain.md 1.4 safe contact)."""
    if victim.do_not_contact or not victim.safe_to_write:
        return None
    if victim.email and victim.channel != ContactChannel.SMS:
        return "victim-survey", victim.email
    if victim.phone:
        return "victim-survey-sms", victim.phone
    if victim.email:
        return "victim-survey", victim.email
    return None


@transaction.atomic
def send_survey(*, victim: VictimRecord) -> Survey | None:
    """Sends the satisfaction survey (once) with a link only this victim holds."""
    victim = VictimRecord.objects.select_for_update().select_related("crime").get(pk=victim.pk)
    if hasattr(victim, "survey"):
        return victim.survey
    channel = _survey_channel(victim)
    if channel is None:
        return None
    crime = victim.crime
    now = timezone.now()
    survey = Survey.objects.create(
        victim=victim,
        token=secrets.token_urlsafe(32),
        sent_at=now,
        expires_at=now + dt.timedelta(days=settings.BLUELAMP_SURVEY_VALID_DAYS),
        officer=crime.officer_in_case,
        team=crime.owning_unit,
        district=crime.owning_unit.district(),
        crime_type=getattr(getattr(crime, "crime", None), "offence_code", ""),
    )
    template, to = channel
    try:
        notify.send(
            template=template,
            to=to,
            personalisation={
                "crime_reference": crime.reference,
                "link": f"{settings.BLUELAMP_SITE_URL}/survey/{survey.token}/",
            },
            idempotency_key=f"victim-survey:{victim.pk}",
            about=victim.person,
            reference=crime.reference,
        )
    except ValidationError:
        # An address that cannot take the message (a landline for a text): no survey, and the
        # handler must not fail forever on it.
        survey.delete()
        return None
    return survey


def survey_for(token: str) -> Survey | None:
    survey = Survey.objects.filter(token=token).select_related("victim__crime").first()
    if survey is None or survey.expires_at < timezone.now():
        return None
    return survey


@transaction.atomic
def answer_survey(*, token: str, answers: dict, comments: str = "") -> Survey:
    """Saves the victim's answers (once). Every question must have a point on the scale."""
    survey = survey_for(token)
    if survey is None:
        raise ValidationError({"token": "This survey link has expired or is not valid."})
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.answered_at:
        raise ValidationError({"token": "This survey has already been answered. Thank you."})
    points = {p for p, _ in rules.SATISFACTION_SCALE}
    errors = {}
    for question in rules.SURVEY_QUESTIONS:
        try:
            value = int(answers.get(question))
        except (TypeError, ValueError):
            value = None
        if value not in points:
            errors[question] = "Choose an answer."
        else:
            setattr(survey, question, value)
    if errors:
        raise ValidationError(errors)
    survey.comments = v.clean_text(comments, field="comments", max_length=2000)
    survey.answered_at = timezone.now()
    survey.save()
    audit.record(
        actor=None,
        action=Action.CHANGE,
        record_type="victim_survey",
        record_id=survey.pk,
        label=f"Survey for {survey.victim.crime.reference}",
        detail={"answered_by": "victim (survey link)"},
    )
    return survey
