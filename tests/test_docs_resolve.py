"""The design notes name real code: every file path and every dotted name cited in backticks in
docs/design.md and docs/adding-a-feature.md resolves (a module that imports, then attributes on
it), so a newcomer following them never meets a name that was renamed or moved away."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import bluelamp

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(bluelamp.__file__).parent
DOCS = [ROOT / "docs" / "design.md", ROOT / "docs" / "adding-a-feature.md"]
TOP = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} | {
    p.stem for p in PACKAGE.glob("*.py")
}
# The worked example in adding-a-feature.md has the reader create this feature: its paths are new.
EXAMPLE_FEATURE = "asb"
# A placeholder stands for a name the reader chooses: `<feature>/models.py`, `{% ... %}`.
PLACEHOLDER = re.compile(r"[<>{}*…]|\.\.\.")


def _cited(doc: Path) -> list[str]:
    text = doc.read_text()
    blocks = re.findall(r"```.*?```", text, flags=re.S)
    for block in blocks:
        text = text.replace(block, "")
    return [token for token in re.findall(r"`([^`\n]+)`", text) if not PLACEHOLDER.search(token)]


def _paths(doc: Path) -> list[str]:
    found = []
    for token in _cited(doc):
        token = token.split(" ")[0].rstrip(",:;")
        if "/" not in token or token.startswith(("/", "http")):
            continue
        if token.startswith("src/bluelamp/") or token.startswith(("tests/", "bench/", "docs/")):
            found.append(token)
        elif token.split("/")[0] in TOP:
            found.append(f"src/bluelamp/{token}")
    return found


def _dotted(doc: Path) -> list[str]:
    found = []
    for token in _cited(doc):
        name = token.split("(")[0].removeprefix("bluelamp.")
        if name.endswith(".py"):
            continue  # a file, checked as a path
        if re.fullmatch(r"[a-z_]+(\.[A-Za-z_][A-Za-z0-9_]*)+", name) and name.split(".")[0] in TOP:
            found.append(name)
    return found


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("bluelamp." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_every_path_cited_exists(doc):
    paths = _paths(doc)
    assert paths, "the walk found no paths: it is not reading the document"
    missing = [
        p for p in paths if not (ROOT / p).exists() and EXAMPLE_FEATURE not in Path(p).parts[:3]
    ]
    assert not missing, f"{doc.name} cites paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_every_dotted_name_cited_resolves(doc):
    names = _dotted(doc)
    assert names, "the walk found no names: it is not reading the document"
    missing = [n for n in names if not _resolves(n)]
    assert not missing, f"{doc.name} cites names that do not resolve: {missing}"


def test_the_walk_would_see_a_stale_name(tmp_path):
    """Not vacuous: a renamed function and a moved file are caught."""
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Use `core.writes.written` and `core.writes.wrote`; see `crime/intake.py`, "
        "`crime/intake_old.py`."
    )
    assert [n for n in _dotted(doc) if not _resolves(n)] == ["core.writes.wrote"]
    assert [p for p in _paths(doc) if not (ROOT / p).exists()] == [
        "src/bluelamp/crime/intake_old.py"
    ]
