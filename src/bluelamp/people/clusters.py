"""Groups of records de-duplication proposes as one person, never held together by a weak link.

If A and B are likely one person, and B and C, connected components would offer A, B and C as one
person even where A and C have nothing in common: one false link chains two families' records
into a single "person" (issue 18: at match probability 0.5, components of a 50,000-record set
with several records per person had a precision of 0.50 where the pairs had 0.98). So a group is
built only from links at or above the group threshold (each group is split at every link below
it), and what holds a group together is shown: its *weakest needed link*, the weakest link of its
maximum spanning tree. Every other way of connecting the group's records passes through a link at
least that weak, so the group is exactly as sure as that link. A weak link between two records
is still offered to a reviewer, as a pair on its own, and never joins groups."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

Link = tuple[Hashable, Hashable, float]


@dataclass
class Group:
    members: list  # record ids, sorted
    links: list[Link]  # every link among the members at or above the group threshold
    weakest: Link  # the weakest link needed to hold the group together
    tree: list[Link] = field(default_factory=list)  # the links that hold it together

    @property
    def probability(self) -> float:
        return self.weakest[2]


def groups(links: Iterable[Link], *, threshold: float) -> list[Group]:
    """Records joined by links at or above ``threshold`` (Kruskal's algorithm, strongest links
    first), each group with its weakest needed link. Groups of two or more, most certain first."""
    strong = sorted(((a, b, p) for a, b, p in links if p >= threshold), key=lambda link: -link[2])
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tree_links: list[Link] = []
    for a, b, p in strong:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[root_a] = root_b
            tree_links.append((a, b, p))
    members: dict = {}
    for x in list(parent):
        members.setdefault(find(x), []).append(x)
    tree: dict = {}
    for link in tree_links:
        tree.setdefault(find(link[0]), []).append(link)
    inside: dict = {}
    for link in strong:
        inside.setdefault(find(link[0]), []).append(link)
    found = [
        Group(
            members=sorted(ids, key=str),
            links=inside[root],
            weakest=min(tree[root], key=lambda link: link[2]),
            tree=tree[root],
        )
        for root, ids in members.items()
        if len(ids) > 1
    ]
    found.sort(key=lambda g: (-g.probability, str(g.members[0])))
    return found
