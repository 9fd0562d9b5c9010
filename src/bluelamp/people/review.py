"""The duplicate review page's groups: the open pairs of the review queue, gathered into the
groups batch de-duplication proposes as one person (people/clusters.py), each with the weakest
link that holds it together, so the reviewer checks that link first. A pair whose link is below
the group threshold is shown on its own and joins nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from bluelamp.accounts.models import User
from bluelamp.core.models import Person

from .clusters import groups
from .dedupe import review_queue
from .models import DuplicateCandidate


@dataclass
class ReviewGroup:
    people: list[Person]
    pairs: list[DuplicateCandidate]  # strongest first
    weakest: DuplicateCandidate  # the weakest link needed to hold the group together

    @property
    def is_group(self) -> bool:
        return len(self.people) > 2


def review_groups(*, actor: User, threshold: float | None = None) -> list[ReviewGroup]:
    """The review queue (permission, visibility and audit as ``dedupe.review_queue``) as groups
    whose every needed link reaches ``threshold`` (default BLUELAMP_DEDUPE_GROUP_THRESHOLD),
    then the weaker pairs one by one; most certain first."""
    if threshold is None:
        threshold = settings.BLUELAMP_DEDUPE_GROUP_THRESHOLD
    queue = review_queue(actor=actor)
    by_ends = {(c.person_id, c.other_id): c for c in queue}
    people = {c.person_id: c.person for c in queue} | {c.other_id: c.other for c in queue}
    found = groups(((c.person_id, c.other_id, c.probability) for c in queue), threshold=threshold)
    shown, grouped = [], set()
    for group in found:
        members = set(group.members)
        pairs = [c for c in queue if c.person_id in members and c.other_id in members]
        grouped.update(c.pk for c in pairs)
        weakest = by_ends[group.weakest[:2]]
        shown.append(ReviewGroup([people[pid] for pid in group.members], pairs, weakest))
    for c in queue:
        if c.pk not in grouped:
            shown.append(ReviewGroup([c.person, c.other], [c], c))
    shown.sort(key=lambda g: -g.weakest.probability)
    return shown
