"""Batch de-duplication: train the model on the force's records, find likely duplicate pairs into
a review queue, and let a reviewer merge them or mark them "not the same". A merge records
exactly what it moved, so an unmerge restores both records and all their links."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, visible
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.history import log_change, snapshot
from bluelamp.core.models import (
    Identifier,
    Person,
    PersonEventLink,
    PersonLocationLink,
    PersonName,
    PersonRelationship,
    WarningMarker,
)

from . import stream, term_counts
from .compare import COMPARISONS, DOB, FAMILY
from .model import MatchModel
from .models import CandidateStatus, DuplicateCandidate, Merge, TrainedModel
from .records import load_nominals, reindex, stored_nominals
from .services import current_model
from .shards import collector_paused
from .training import train

TRAINING_SAMPLE = 200_000
# Fewer matching pairs than this, found by the rule that found most, is a guess, not an estimate.
MIN_MATCHES_FOUND = 5


def _live_ids() -> list[int]:
    return list(
        Person.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)
    )


def train_model(*, actor: User, sample: int = TRAINING_SAMPLE, seed: int = 0) -> TrainedModel:
    """Estimates the match model from (a sample of) the force's own records and stores it."""
    require(actor, "people.train")
    ids = _live_ids()
    if len(ids) < 100:
        raise ValidationError({"records": "At least 100 people are needed to train a model."})
    blocks, share, force = None, 1.0, len(ids)
    # EM learns from pairs of the size of block that de-duplication scores (training.train).
    max_block = settings.BLUELAMP_DEDUPE_MAX_BLOCK
    if len(ids) > sample:
        # u (and a prior) from a uniform sample; each rule's m from whole blocks of that rule,
        # about as many people again (training.train says why a uniform sample will not do).
        share = sample / len(ids)

        def blocks(rule):
            return stored_nominals(
                stream.sample_blocks(rule, share=share, seed=seed, max_block=max_block)
            )

        ids = sorted(random.Random(seed).sample(ids, sample))
    # How common names, dates of birth and towns are: counted over the whole force, not the
    # sample, and kept for search and de-duplication (people/term_counts.py).
    counted = term_counts.store_count()
    # Hundreds of thousands of people and their pairs in memory, none in a cycle: the cycle
    # collector walking them again and again was a sixth of training the million (bench/README.md).
    with collector_paused():
        model = train(
            load_nominals(ids),
            seed=seed,
            blocks=blocks,
            block_share=share,
            force=force,
            max_block=max_block,
            frequencies={"records": counted.records, "shares": counted.shares},
        )
    _check_learnt(model)
    trained = TrainedModel.objects.create(
        trained_at=timezone.now(), records=len(ids), parameters=model.to_json()
    )
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="person",
        label="match model trained",
        detail={"records": len(ids)},
    )
    return trained


def _check_learnt(model: MatchModel) -> None:
    """EM needs duplicates to learn from. If agreeing on name and date of birth is not strong
    evidence in the estimate, or no rule's EM found a handful of matching pairs (a single
    duplicate among strangers, say), the records held too few duplicates: keep the current
    model."""

    def weak(comparison) -> bool:
        i = COMPARISONS.index(comparison)
        agreeing = range(len(comparison.levels) - 1)
        return max(model.m[i][k] / model.u[i][k] for k in agreeing) < 10

    if model.trained_on.get("matches_found", 0) < MIN_MATCHES_FOUND or weak(FAMILY) or weak(DOB):
        raise ValidationError(
            {
                "records": "Too few duplicates among these records to estimate a model from; "
                "the current model is kept."
            }
        )


def find_duplicates(
    *,
    actor: User,
    model: MatchModel | None = None,
    threshold: float | None = None,
    workers: int = 1,
    max_block: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Scores every candidate pair of live records and queues those likely to be one person.
    Streams the stored blocking keys block by block (people/stream.py), so memory does not grow
    with the force; ``workers`` processes share the scoring. Blocks larger than ``max_block``
    (default BLUELAMP_DEDUPE_MAX_BLOCK) are skipped: the cost per record grows with it. Pairs
    already queued or decided are left alone (the one-candidate-per-pair constraint). Returns how
    many pairs were newly queued."""
    require(actor, "people.dedupe")
    if threshold is None:
        threshold = settings.BLUELAMP_DEDUPE_REVIEW_THRESHOLD
    if model is None:
        # Counted again first, so records added or merged since the last run weigh as they do
        # now (people/term_counts.py).
        term_counts.store_count()
        model = current_model()
    before = DuplicateCandidate.objects.count()
    max_block = max_block or settings.BLUELAMP_DEDUPE_MAX_BLOCK
    pairs = stream.scan_parallel(
        model,
        threshold=threshold,
        workers=workers,
        max_block=max_block,
        progress=progress,
    )
    now = timezone.now()
    records = {r.id: r for r in stored_nominals({pid for a, b, _, _ in pairs for pid in (a, b)})}
    with transaction.atomic():
        for start in range(0, len(pairs), 5000):
            DuplicateCandidate.objects.bulk_create(
                [
                    DuplicateCandidate(
                        person_id=a,
                        other_id=b,
                        probability=round(probability, 6),
                        match_weight=round(model.match_weight(vector, (records[a], records[b])), 3),
                        reasons=[
                            r.__dict__ for r in model.reasons(vector, (records[a], records[b]))
                        ],
                        found_at=now,
                    )
                    for a, b, probability, vector in pairs[start : start + 5000]
                ],
                batch_size=2000,
                ignore_conflicts=True,
            )
        queued = DuplicateCandidate.objects.count() - before
        audit.record(
            actor=actor,
            action=Action.SEARCH,
            record_type="person",
            label="batch de-duplication",
            detail={"pairs_found": len(pairs), "queued": queued, "max_block": max_block},
        )
    return queued


@transaction.atomic
def mark_not_same(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    require(actor, "people.merge")
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    for pk in (candidate.person_id, candidate.other_id):
        get_visible(Person.objects.all(), actor, pk)
    if candidate.status != CandidateStatus.OPEN:
        raise ValidationError({"status": "This pair has already been decided."})
    candidate.status = CandidateStatus.NOT_SAME
    candidate.reviewed_by = actor
    candidate.reviewed_at = timezone.now()
    candidate.save()
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        record_type="person",
        record_id=candidate.person_id,
        label="not the same person",
        detail={"other": candidate.other_id},
    )
    return candidate


# What a merge moves from the merged record to the survivor: (model, foreign key, key in ``moved``)
_MOVED = (
    (PersonName, "person", "names"),
    (Identifier, "person", "identifiers"),
    (WarningMarker, "person", "warnings"),
    (PersonLocationLink, "person", "location_links"),
    (PersonRelationship, "person", "relationships"),
    (PersonRelationship, "other", "relationships_other"),
)


@transaction.atomic
def merge(*, actor: User, survivor: Person, merged: Person, reason: str) -> Merge:
    """Moves everything recorded against ``merged`` to ``survivor`` and marks ``merged`` as
    merged into it. Event links that the survivor already has (same event and role) stay with
    the merged record rather than break the one-link-per-role rule; they remain reachable from
    it. The merged record keeps its own history."""
    require(actor, "people.merge")
    reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    survivor = get_visible(Person.objects.select_for_update(), actor, survivor.pk)
    merged = get_visible(Person.objects.select_for_update(), actor, merged.pk)
    if survivor.pk == merged.pk:
        raise ValidationError({"merged": "A record cannot be merged into itself."})
    for person, field in ((survivor, "survivor"), (merged, "merged")):
        if person.merged_into_id:
            raise ValidationError({field: "This record has already been merged into another."})
    before = {person.pk: snapshot(person) for person in (survivor, merged)}
    moved: dict[str, list] = {}
    for model, fk, key in _MOVED:
        rows = model.objects.filter(**{fk: merged})
        if model is PersonRelationship:
            # A relationship between the two records themselves is not moved onto one person.
            rows = rows.exclude(**{("other" if fk == "person" else "person"): survivor})
        moved[key] = sorted(rows.values_list("pk", flat=True))
        model.objects.filter(pk__in=moved[key]).update(**{fk: survivor})
    # The survivor keeps the name it was first known by; the merged record's first-known name
    # becomes one of its other names (restored on unmerge).
    moved["first_known_names"] = sorted(
        PersonName.objects.filter(pk__in=moved["names"], first_known=True).values_list(
            "pk", flat=True
        )
    )
    PersonName.objects.filter(pk__in=moved["first_known_names"]).update(first_known=False)
    survivor_links = set(
        PersonEventLink.objects.filter(person=survivor).values_list("event_id", "role")
    )
    movable = [
        pk
        for pk, event_id, role in PersonEventLink.objects.filter(person=merged).values_list(
            "pk", "event_id", "role"
        )
        if (event_id, role) not in survivor_links
    ]
    moved["event_links"] = sorted(movable)
    PersonEventLink.objects.filter(pk__in=movable).update(person=survivor)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    record = Merge.objects.create(
        survivor=survivor,
        merged=merged,
        moved=moved,
        reason=reason,
        merged_by=actor,
        merged_at=timezone.now(),
    )
    DuplicateCandidate.objects.filter(
        Q(person=survivor, other=merged) | Q(person=merged, other=survivor),
        status=CandidateStatus.OPEN,
    ).update(status=CandidateStatus.MERGED, reviewed_by=actor, reviewed_at=timezone.now())
    reindex([survivor.pk, merged.pk])
    summary = f"Merged person {merged.pk} into person {survivor.pk}: {reason}"
    for person in (survivor, merged):
        log_change(
            actor=actor, obj=person, action="merge", before=before[person.pk], summary=summary
        )
    audit.record(
        actor=actor,
        action=Action.MERGE,
        obj=survivor,
        detail={"merged": merged.pk, "moved": {k: len(ids) for k, ids in moved.items()}},
    )
    return record


@transaction.atomic
def unmerge(*, actor: User, merge_record: Merge, reason: str) -> Merge:
    """Undoes a merge exactly: every row it moved goes back, flags it changed are restored."""
    require(actor, "people.merge")
    reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    record = Merge.objects.select_for_update().get(pk=merge_record.pk)
    if record.unmerged_at:
        raise ValidationError({"merge": "This merge has already been undone."})
    survivor = get_visible(Person.objects.select_for_update(), actor, record.survivor_id)
    merged = get_visible(Person.objects.select_for_update(), actor, record.merged_id)
    later = Merge.objects.filter(
        merged=survivor, merged_at__gt=record.merged_at, unmerged_at__isnull=True
    )
    if later.exists():
        raise ValidationError({"merge": "Undo the later merge of this record first."})
    before = {person.pk: snapshot(person) for person in (survivor, merged)}
    for model, fk, key in _MOVED:
        model.objects.filter(pk__in=record.moved[key]).update(**{fk: merged})
    PersonEventLink.objects.filter(pk__in=record.moved["event_links"]).update(person=merged)
    PersonName.objects.filter(pk__in=record.moved["first_known_names"]).update(first_known=True)
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    record.unmerged_by = actor
    record.unmerged_at = timezone.now()
    record.save(update_fields=["unmerged_by", "unmerged_at"])
    reindex([survivor.pk, merged.pk])
    summary = f"Unmerged person {merged.pk} from person {survivor.pk}: {reason}"
    for person in (survivor, merged):
        log_change(
            actor=actor, obj=person, action="unmerge", before=before[person.pk], summary=summary
        )
    audit.record(actor=actor, action=Action.UNMERGE, obj=survivor, detail={"merged": merged.pk})
    return record


def review_queue(
    *,
    actor: User,
    status: str | None = CandidateStatus.OPEN,
    candidate_id: int | None = None,
    limit: int = 100,
) -> list[DuplicateCandidate]:
    """Pairs waiting for a reviewer, most likely first. A pair with a record the reviewer may not
    see is not shown at all."""
    require(actor, "people.review")
    pairs = DuplicateCandidate.objects.select_related("person", "other").prefetch_related(
        "person__names", "other__names"
    )
    if status:
        pairs = pairs.filter(status=status)
    if candidate_id:
        pairs = pairs.filter(pk=candidate_id)
    pairs = list(pairs[:limit])
    ids = {p.person_id for p in pairs} | {p.other_id for p in pairs}
    seen = set(visible(Person.objects.filter(pk__in=ids), actor).values_list("pk", flat=True))
    shown = [p for p in pairs if p.person_id in seen and p.other_id in seen]
    audit.record(
        actor=actor,
        action=Action.VIEW,
        record_type="person",
        label="duplicate review queue",
        detail={"pairs": [p.pk for p in shown]},
    )
    return shown
