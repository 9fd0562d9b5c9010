"""JSON API for nominal search, the duplicate review queue, merges and unmerges."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from bluelamp.core.api import ERRORS
from bluelamp.core.models import Person
from bluelamp.core.schemas import Error, Id

from . import dedupe, services
from .models import CandidateStatus, DuplicateCandidate, Merge
from .schemas import (
    CandidateRead,
    MatchPageRead,
    MatchQuery,
    MergeCreate,
    MergeRead,
    UnmergeCreate,
)

router = Router(tags=["matching"])


@router.get(
    "/people/match", response={200: MatchPageRead, ERRORS: Error}, operation_id="match_people"
)
def match_people(request, filters: Query[MatchQuery]):
    values = filters.dict()
    page = values.pop("page")
    return services.find_people(actor=request.user, query=services.PersonQuery(**values), page=page)


@router.get(
    "/people/duplicates",
    response={200: list[CandidateRead], ERRORS: Error},
    operation_id="duplicate_queue",
)
def duplicate_queue(request):
    return dedupe.review_queue(actor=request.user)


@router.post(
    "/people/duplicates/{candidate_id}/not-same",
    response={200: CandidateRead, ERRORS: Error},
    operation_id="mark_not_same",
)
def mark_not_same(request, candidate_id: Path[Id]):
    candidate = get_object_or_404(DuplicateCandidate, pk=candidate_id, status=CandidateStatus.OPEN)
    dedupe.mark_not_same(actor=request.user, candidate=candidate)
    return dedupe.review_queue(actor=request.user, candidate_id=candidate.pk, status=None)[0]


@router.post(
    "/people/merges", response={201: MergeRead, ERRORS: Error}, operation_id="merge_people"
)
def merge_people(request, payload: MergeCreate):
    record = dedupe.merge(
        actor=request.user,
        survivor=Person(pk=payload.survivor_id),
        merged=Person(pk=payload.merged_id),
        reason=payload.reason,
    )
    return Status(201, record)


@router.post(
    "/people/merges/{merge_id}/unmerge",
    response={200: MergeRead, ERRORS: Error},
    operation_id="unmerge_people",
)
def unmerge_people(request, merge_id: Path[Id], payload: UnmergeCreate):
    record = get_object_or_404(Merge, pk=merge_id)
    return dedupe.unmerge(actor=request.user, merge_record=record, reason=payload.reason)
