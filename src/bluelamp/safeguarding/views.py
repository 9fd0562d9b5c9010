"""Pages for safeguarding/: the referral from the scene (phone-first: people by match-on-entry,
children, attachments), its DASH, the referral page (submit, MASH triage, notes, feedback, the
officer's plan and visit), the MASH queue, demand and quality; MARAC's pages are in
marac_views.py. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from bluelamp.accounts.permissions import can, get_visible, require, visible_q
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.forms import apply_errors
from bluelamp.core.history import history_of
from bluelamp.core.models import Event, Person
from bluelamp.duties.registry import POLICIES
from bluelamp.duties.services import duties_for
from bluelamp.people.entry import PersonEntry
from bluelamp.ui.access import personal_data

from . import mash, queries, risk, services
from .forms import (
    CHILD_SLOTS,
    AttachForm,
    ChildForm,
    DashForm,
    FeedbackForm,
    NoteForm,
    ReferralForm,
    StepForm,
    TriageForm,
)
from .marac_views import urlpatterns as marac_urls
from .models import Hub, Status


class _Undecided(Exception):
    """A person entry still has records to offer: roll back and show the page again."""


def _typed(entry: PersonEntry) -> bool:
    data = entry.form.data
    return any(
        (data.get(entry.form.add_prefix(name)) or "").strip()
        for name in ("given_names", "family_name")
    )


@personal_data("referral")
def referrals(request: HttpRequest) -> HttpResponse:
    rows = queries.listing(request.user)
    return render(request, "safeguarding/referrals.html", {"rows": rows})


def _event_from(request) -> Event | None:
    pk = request.GET.get("event") or request.POST.get("event") or ""
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404("No such event.")
    return get_visible(Event.objects.all(), request.user, int(pk))


@personal_data("referral")
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest) -> HttpResponse:
    require(request.user, "safeguarding.refer")
    event = _event_from(request)
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, request.FILES or None)
    entries = {
        prefix: PersonEntry(data, actor=request.user, context="referral", prefix=prefix)
        for prefix in ("victim", "perpetrator", *CHILD_SLOTS)
    }
    children = {slot: ChildForm(data, prefix=slot) for slot in CHILD_SLOTS}
    # The perpetrator and the children are optional: only an entry with a name typed counts.
    taken = {p: e for p, e in entries.items() if data is not None and (p == "victim" or _typed(e))}
    forms_valid = (
        data is not None
        and form.is_valid()
        and all([e.form.is_valid() for e in taken.values()])
        and all([c.is_valid() for c in children.values()])
    )
    if forms_valid:
        try:
            with transaction.atomic():
                people = {prefix: entry.resolve() for prefix, entry in taken.items()}
                if any(person is None for person in people.values()):
                    raise _Undecided
                files = [(f.name, f.read()) for f in request.FILES.getlist("attachments")]
                referral = services.make_referral(
                    actor=request.user,
                    event=event,
                    victim=people["victim"],
                    perpetrator=people.get("perpetrator"),
                    children=[
                        {"person": people[slot], **children[slot].cleaned_data}
                        for slot in CHILD_SLOTS
                        if slot in people
                    ],
                    files=files,
                    **{k: v for k, v in form.cleaned_data.items() if k != "attachments"},
                )
        except _Undecided:
            # The records offered were seen: audit the consultation that rolled back with it.
            for entry in entries.values():
                if entry.offered:
                    audit.record(
                        actor=request.user,
                        action=Action.SEARCH,
                        record_type="person",
                        label="match-on-entry (referral)",
                        detail={"offered": [m.person.pk for m in entry.offered]},
                    )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} saved as a draft.")
            return redirect("safeguarding:referral", referral.pk)
    bad = data is not None and (
        form.errors
        or any(e.form.errors for e in taken.values())
        or any(c.errors for c in children.values())
    )
    context = {
        "form": form,
        "entries": entries,
        "children": [(slot, entries[slot], children[slot]) for slot in CHILD_SLOTS],
        "event": event,
    }
    if data is None:
        audit.record(
            actor=request.user, action=Action.VIEW, record_type="referral", label="new referral"
        )
    return render(request, "safeguarding/new.html", context, status=400 if bad else 200)


def _duties(referral):
    rows = list(duties_for(referral).select_related("owner", "owner_unit").order_by("due_at"))
    for duty in rows:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
    return rows


def _render(request, referral, status=200, **given) -> HttpResponse:
    user = request.user
    is_mash = can(user, "safeguarding.triage")
    own = referral.created_by_id == user.pk or is_mash
    submitted = referral.status != Status.DRAFT
    tool = risk.tool()
    context = {
        "referral": referral,
        # A restricted person named on the referral stays invisible to whoever lacks a grant.
        "subjects": referral.subjects.filter(visible_q(user, Person, "person")).select_related(
            "person"
        ),
        "children": referral.children.filter(visible_q(user, Person, "person")).select_related(
            "person"
        ),
        "assessment": getattr(referral, "assessment", None),
        "topics": tool.topics,
        "attachments": referral.attachments.defer("content"),
        "notes": referral.notes.all(),
        "feedback": referral.feedback.all(),
        "duties": _duties(referral),
        "marac_case": getattr(referral, "marac", None),
        "history": history_of(referral, actor=user)[:30],
        "can_change": own and not submitted,
        "attach_form": given.get("attach_form") or (AttachForm() if own else None),
        "triage_form": given.get("triage_form")
        or (TriageForm() if is_mash and referral.status == Status.SUBMITTED else None),
        "note_form": given.get("note_form") or (NoteForm() if is_mash and submitted else None),
        "feedback_form": given.get("feedback_form")
        or (FeedbackForm() if is_mash and submitted else None),
        "plan_form": given.get("plan_form") or (StepForm() if own and submitted else None),
        "visit_form": given.get("visit_form")
        or (StepForm(prefix="visit") if own and submitted else None),
        "submit_error": given.get("submit_error"),
    }
    return render(request, "safeguarding/referral.html", context, status=status)


@personal_data("referral")
def referral_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, services.view_referral(actor=request.user, pk=pk))


@personal_data("referral")
@require_http_methods(["GET", "POST"])
def dash_page(request: HttpRequest, pk: int) -> HttpResponse:
    referral = services.view_referral(actor=request.user, pk=pk)
    tool = risk.tool()
    assessment = getattr(referral, "assessment", None)
    initial = {}
    if assessment is not None:
        for number, given in assessment.answers.items():
            initial[f"q{number}"] = given["answer"]
            initial[f"q{number}_comment"] = given["comment"]
    form = DashForm(request.POST or None, topics=tool.topics, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_risk(
                actor=request.user,
                referral=referral,
                answers=form.answers(),
                judgement=form.cleaned_data["judgement"],
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("safeguarding:referral", referral.pk)
    status = 400 if form.errors else 200
    return render(
        request, "safeguarding/dash.html", {"referral": referral, "form": form}, status=status
    )


def _post(request, pk, form, call, name: str, done: str):
    referral = services.view_referral(actor=request.user, pk=pk)
    if form.is_valid():
        try:
            call(referral, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("safeguarding:referral", referral.pk)
    referral = services.get_referral(request.user, pk)
    return _render(request, referral, status=400, **{name: form})


@personal_data("referral")
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    def call(referral, data):
        upload = data["file"]
        services.add_attachment(
            actor=request.user, referral=referral, filename=upload.name, content=upload.read()
        )

    form = AttachForm(request.POST, request.FILES)
    return _post(request, pk, form, call, "attach_form", "Attached.")


@personal_data("attachment")
@require_http_methods(["GET"])
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as it was kept (its type read from its bytes when it was uploaded). Photos are
    shown in the browser; anything else is downloaded. Never cached (no-store, as every page)."""
    kept = services.open_attachment(actor=request.user, pk=pk)
    response = HttpResponse(bytes(kept.content), content_type=kept.content_type)
    shown = kept.content_type.startswith("image/")
    response["Content-Disposition"] = content_disposition_header(not shown, kept.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@personal_data("referral")
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = services.view_referral(actor=request.user, pk=pk)
    try:
        referral = services.submit_referral(actor=request.user, referral=referral)
    except ValidationError as error:
        message = " ".join(f"{m}" for msgs in error.message_dict.values() for m in msgs)
        return _render(request, referral, status=400, submit_error=message)
    messages.success(request, f"Submitted to {referral.hub}: {referral.risk_level} risk.")
    return redirect("safeguarding:referral", referral.pk)


@personal_data("referral")
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        TriageForm(request.POST),
        lambda r, d: mash.triage_referral(actor=request.user, referral=r, **d),
        "triage_form",
        "Triaged.",
    )


@personal_data("referral")
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        NoteForm(request.POST),
        lambda r, d: mash.add_partner_note(actor=request.user, referral=r, **d),
        "note_form",
        "Note added.",
    )


@personal_data("referral")
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        FeedbackForm(request.POST),
        lambda r, d: mash.give_feedback(actor=request.user, referral=r, **d),
        "feedback_form",
        "Feedback sent to the officer and their supervisor.",
    )


@personal_data("referral")
@require_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        StepForm(request.POST),
        lambda r, d: mash.record_safeguarding_plan(actor=request.user, referral=r, plan=d["text"]),
        "plan_form",
        "Safeguarding plan recorded.",
    )


@personal_data("referral")
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        StepForm(request.POST, prefix="visit"),
        lambda r, d: mash.record_follow_up_visit(actor=request.user, referral=r, note=d["text"]),
        "visit_form",
        "Follow-up visit recorded.",
    )


def _chosen_hub(request) -> tuple[Hub | None, list[Hub]]:
    hubs = list(Hub.objects.select_related("unit"))
    code = request.GET.get("hub", "")
    chosen = next((h for h in hubs if h.code == code), None)
    if chosen is None and hubs:
        mine = [h for h in hubs if h.unit and h.unit.contains(request.user.unit)]
        chosen = (mine or hubs)[0]
    return chosen, hubs


@personal_data("referral")
def mash_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "safeguarding.mash")
    hub, hubs = _chosen_hub(request)
    rows = queries.queue(request.user, hub) if hub else []
    return render(request, "safeguarding/queue.html", {"hub": hub, "hubs": hubs, "rows": rows})


@personal_data("referral")
def mash_demand(request: HttpRequest) -> HttpResponse:
    require(request.user, "safeguarding.mash")
    hub, hubs = _chosen_hub(request)
    found = queries.demand(request.user, hub) if hub else None
    return render(request, "safeguarding/demand.html", {"hub": hub, "hubs": hubs, "d": found})


@personal_data("referral")
def mash_quality(request: HttpRequest) -> HttpResponse:
    by = "team" if request.GET.get("by") == "team" else "officer"
    rows = queries.quality(request.user, by=by)
    return render(request, "safeguarding/quality.html", {"rows": rows, "by": by})


urlpatterns = [
    path("safeguarding/", referrals, name="referrals"),
    path("safeguarding/referrals/new/", new_referral, name="new"),
    path("safeguarding/referrals/<int:pk>/", referral_page, name="referral"),
    path("safeguarding/referrals/<int:pk>/dash/", dash_page, name="dash"),
    path("safeguarding/referrals/<int:pk>/attach/", attach, name="attach"),
    path("safeguarding/referrals/<int:pk>/submit/", submit, name="submit"),
    path("safeguarding/attachments/<int:pk>/", attachment, name="attachment"),
    path("safeguarding/referrals/<int:pk>/triage/", triage, name="triage"),
    path("safeguarding/referrals/<int:pk>/note/", note, name="note"),
    path("safeguarding/referrals/<int:pk>/feedback/", feedback, name="feedback"),
    path("safeguarding/referrals/<int:pk>/plan/", plan, name="plan"),
    path("safeguarding/referrals/<int:pk>/follow-up/", follow_up, name="follow-up"),
    path("safeguarding/mash/", mash_queue, name="mash"),
    path("safeguarding/mash/demand/", mash_demand, name="demand"),
    path("safeguarding/mash/quality/", mash_quality, name="quality"),
    *marac_urls,
]
