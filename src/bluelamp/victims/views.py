"""Pages for victims/: a victim's record (needs assessment, entitlement, contacts against duties),
the supervisors' and leaders' page, the victims panel on a crime's page, and the satisfaction
survey a victim reaches by their own link (no staff sign-in). Thin: parse, call, render."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.permissions import can, require
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.choices import ContactChannel
from bluelamp.core.forms import apply_errors
from bluelamp.core.history import history_of
from bluelamp.core.models import Event
from bluelamp.duties.registry import POLICIES
from bluelamp.ui.access import personal_data, public
from bluelamp.ui.extensions import RecordPanel, register_event_panel

from . import outreach, queries, rules, services
from .models import Consent, EnhancedReason, VictimRecord


class NeedsForm(forms.Form):
    channel = forms.ChoiceField(choices=ContactChannel.choices, label="How to contact them")
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    update_every_days = forms.IntegerField(
        required=False, min_value=1, max_value=365, label="Update them every (days)"
    )
    times_to_avoid = forms.CharField(max_length=200, required=False)
    contact_instead = forms.CharField(
        max_length=300, required=False, label="Someone to contact instead"
    )
    do_not_contact = forms.BooleanField(required=False, label="Does not want to be contacted")
    safe_to_write = forms.BooleanField(
        required=False, initial=True, label="Safe to write to them (letter, email, text)"
    )
    needs = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[*rules.VULNERABLE_NEEDS.items(), *rules.INTIMIDATED_NEEDS.items()],
    )
    flags = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(rules.MOST_SERIOUS_FLAGS.items()),
        label="The crime involves",
    )
    needs_notes = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    referral_consent = forms.ChoiceField(
        choices=Consent.choices, label="Consent to referral to victim support services"
    )


class EntitlementForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=EnhancedReason.choices,
        label="Enhanced rights because (none: standard rights)",
    )
    rationale = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(forms.Form):
    channel = forms.ChoiceField(choices=ContactChannel.choices)
    summary = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    discharges = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="This contact did"
    )

    def __init__(self, *args, victim=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if victim is not None:
            for duty in services.dischargeable_by_contact(victim):
                policy = POLICIES.get(duty.policy)
                label = f"{policy.title if policy else duty.policy} (due {duty.due_at:%d %b})"
                choices.append((duty.policy, label))
        self.fields["discharges"].choices = list(dict(choices).items())


def _needs_initial(victim: VictimRecord) -> dict:
    fields = NeedsForm.base_fields
    return {name: getattr(victim, name) for name in fields}


def _render_victim(request, victim, status=200, **forms_given) -> HttpResponse:
    user = request.user
    context = {
        "victim": victim,
        "reasons": [EnhancedReason(r).label for r in victim.enhanced_reasons],
        "duties": list(services.open_duties(victim)),
        "done_duties": list(
            services.duties_for(victim).exclude(outcome="open").order_by("-done_at")
        ),
        "contacts": victim.contacts.all()[:50],
        "contact_changes": victim.contact_changes.select_related("notice")[:20],
        "referral": getattr(victim, "referral", None),
        "history": history_of(victim, actor=request.user)[:30],
        "needs_form": forms_given.get("needs_form")
        or (NeedsForm(initial=_needs_initial(victim)) if can(user, "victim.assess") else None),
        "entitlement_form": forms_given.get("entitlement_form")
        or (
            EntitlementForm(initial={"reasons": victim.enhanced_reasons})
            if can(user, "victim.change_entitlement")
            else None
        ),
        "contact_form": forms_given.get("contact_form")
        or (ContactForm(victim=victim) if can(user, "victim.contact") else None),
    }
    for duty in [*context["duties"], *context["done_duties"]]:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    return render(request, "victims/victim.html", context, status=status)


@personal_data("victim")
def victim_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_victim(request, services.view_victim(actor=request.user, pk=pk))


def _post(request, pk, form_class, call, done: str, form_name: str, form_kwargs=None):
    victim = services.view_victim(actor=request.user, pk=pk)
    form = form_class(request.POST, **(form_kwargs(victim) if form_kwargs else {}))
    if form.is_valid():
        try:
            call(victim, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("victims:victim", pk=pk)
    # A failed post keeps what was typed and names the field; nothing saved is touched.
    return _render_victim(request, victim, status=400, **{form_name: form})


@personal_data("victim")
@require_POST
def needs(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        NeedsForm,
        lambda victim, data: services.record_needs_assessment(
            actor=request.user, victim=victim, **data
        ),
        "Needs assessment saved.",
        "needs_form",
    )


@personal_data("victim")
@require_POST
def entitlement(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        EntitlementForm,
        lambda victim, data: services.change_entitlement(actor=request.user, victim=victim, **data),
        "Entitlement decision saved.",
        "entitlement_form",
    )


@personal_data("victim")
@require_POST
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ContactForm,
        lambda victim, data: services.record_contact(actor=request.user, victim=victim, **data),
        "Contact recorded.",
        "contact_form",
        form_kwargs=lambda victim: {"victim": victim},
    )


@personal_data("victim")
def oversight(request: HttpRequest) -> HttpResponse:
    """Supervisors' and leaders' page: overdue updates by officer and team, enhanced-rights
    victims, referrals and their timeliness, satisfaction by month and by a chosen group."""
    user = request.user
    require(user, "victim.supervise")
    by = request.GET.get("by", "team")
    if by not in ("officer", "team", "district", "crime_type"):
        by = "team"
    overdue = list(queries.overdue_updates(user).select_related("owner", "owner_unit")[:200])
    for duty in overdue:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    context = {
        "overdue": overdue,
        "overdue_counts": queries.overdue_counts(user),
        "on_time_by_team": queries.updated_on_time(user, by="team"),
        "on_time_by_officer": queries.updated_on_time(user, by="officer"),
        "wishes": queries.wishes_by(user, by="officer"),
        "enhanced": list(queries.enhanced_victims(user)[:100]),
        "referrals": queries.referrals_sent(user, limit=100),
        "referral_on_time": queries.updated_on_time(user, by="month", referral=True),
        "satisfaction_by_month": queries.satisfaction(user, by="month"),
        "satisfaction_by": queries.satisfaction(user, by=by),
        "by": by,
        "feed_hours": settings.BLUELAMP_VICTIM_SERVICES_FEED_HOURS,
        "reason_labels": dict(EnhancedReason.choices),
    }
    audit.record(
        actor=user,
        action=Action.VIEW,
        record_type="victim",
        label="Victims' Code oversight",
        detail={"overdue": len(overdue), "enhanced": len(context["enhanced"])},
    )
    return render(request, "victims/oversight.html", context)


@public
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The victim's satisfaction survey, reached by the link sent to them (no sign-in)."""
    found = outreach.survey_for(token)
    if found is None:
        return render(request, "victims/survey_gone.html", status=404)
    errors, chosen = {}, {}
    if found.answered_at:
        return render(request, "victims/survey_thanks.html")
    if request.method == "POST":
        chosen = {q: request.POST.get(q, "") for q in rules.SURVEY_QUESTIONS}
        try:
            outreach.answer_survey(
                token=token, answers=chosen, comments=request.POST.get("comments", "")
            )
        except ValidationError as error:
            errors = {field: msgs[0] for field, msgs in error.message_dict.items()}
        else:
            return render(request, "victims/survey_thanks.html")
    questions = [
        {"name": name, "text": text, "chosen": chosen.get(name, ""), "error": errors.get(name)}
        for name, text in rules.SURVEY_QUESTIONS.items()
    ]
    return render(
        request,
        "victims/survey.html",
        {
            "questions": questions,
            "scale": [(str(p), label) for p, label in rules.SATISFACTION_SCALE],
            "errors": errors,
            "comments": request.POST.get("comments", ""),
            "reference": found.victim.crime.reference,
        },
        status=400 if errors else 200,
    )


@register_event_panel
def victims_panel(request, event: Event) -> RecordPanel | None:
    if not can(request.user, "victim.view"):
        return None
    victims = list(services.visible_victims(request.user).filter(crime=event))
    if not victims:
        return None
    return RecordPanel(
        "victims/event_panel.html",
        {
            "victims": victims,
            "labels": dict(EnhancedReason.choices),
        },
    )


urlpatterns = [
    path("victims/", oversight, name="oversight"),
    path("victims/<int:pk>/", victim_page, name="victim"),
    path("victims/<int:pk>/needs/", needs, name="needs"),
    path("victims/<int:pk>/entitlement/", entitlement, name="entitlement"),
    path("victims/<int:pk>/contact/", contact, name="contact"),
    path("survey/<str:token>/", survey, name="survey"),
]
