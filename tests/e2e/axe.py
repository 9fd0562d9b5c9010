"""axe-core in the browser tests (axe-playwright-python, which bundles axe.min.js and injects it
from the package: nothing is fetched). ``violations(page)`` lists what axe finds, one line each."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()


def violations(page) -> list[str]:
    results = _AXE.run(page)
    found = results.response.get("violations", [])
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in found
    ]
