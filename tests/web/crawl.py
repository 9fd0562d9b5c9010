"""A bounded breadth-first walk of the pages a signed-in user can reach by following links from
their home page: same-origin GET links only, no sign-out, no downloads, at most a few pages of
each shape (``/events/12/`` and ``/events/13/`` are one shape), so every kind of page is visited
without reading the whole force."""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

SKIP = re.compile(r"sign-out|/static/|\.(csv|pdf|json|zip|svg|png)$|/export|[?&]format=|/healthz")
PER_SHAPE = 6
LIMIT = 400


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.described: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.extend(attrs["aria-describedby"].split())
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])


@dataclass
class Walk:
    visited: dict[str, int] = field(default_factory=dict)  # url: status of the final answer
    came_from: dict[str, str] = field(default_factory=dict)
    missing_descriptions: list[str] = field(default_factory=list)
    document_references: list[str] = field(default_factory=list)  # "domain.md 1.4" shown

    def refused(self) -> list[str]:
        return sorted(
            f"{url} answered {status} (linked from {self.came_from.get(url, 'home')})"
            for url, status in self.visited.items()
            if status != 200
        )


def shape(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def local(href: str, base: str) -> str | None:
    """The same-origin path (with query) ``href`` leads to, or None for another site, a
    fragment on this page, a tel:/mailto: link or something not to follow."""
    if href.startswith(("mailto:", "tel:", "javascript:")) or href.startswith("#"):
        return None
    absolute = urljoin(f"http://testserver{base}", href)
    parts = urlsplit(urldefrag(absolute)[0])
    if parts.netloc != "testserver":
        return None
    url = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(url) else url


def walk(client, start: str = "/") -> Walk:
    result = Walk()
    queue = deque([start])
    shapes: Counter[str] = Counter()
    seen = {start}
    while queue and len(result.visited) < LIMIT:
        url = queue.popleft()
        response = client.get(url, follow=True)
        result.visited[url] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        result.missing_descriptions.extend(
            f"{url}: aria-describedby names #{name}, not on the page"
            for name in page.described
            if name not in page.ids
        )
        shown = re.search(r".{0,60}domain(-addendum)?\.md.{0,20}", response.content.decode())
        if shown:
            result.document_references.append(f"{url}: {shown.group(0)}")
        final = response.request["PATH_INFO"]
        for href in page.links:
            target = local(href, final)
            if target is None or target in seen:
                continue
            seen.add(target)
            shapes[shape(target)] += 1
            if shapes[shape(target)] > PER_SHAPE:
                continue
            result.came_from[target] = url
            queue.append(target)
    return result
