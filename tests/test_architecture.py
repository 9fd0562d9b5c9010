"""The layers as a test (DESIGN.md, "Layout"): import-linter checks the contracts written once in
pyproject.toml ([tool.importlinter]); a forbidden import anywhere fails the suite, naming the
chain that broke it. ``.venv/bin/lint-imports`` prints the same report."""

from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept(capsys):
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0, (
        capsys.readouterr().out
    )


def test_every_allowed_exception_says_why():
    """An exception to the layers is named with its reason, on the line above it."""
    text = (ROOT / "pyproject.toml").read_text()
    config = tomllib.loads(text)["tool"]["importlinter"]
    lines = text.splitlines()
    for contract in config["contracts"]:
        for ignored in contract.get("ignore_imports", []):
            (at,) = [n for n, line in enumerate(lines) if line.strip() == f'"{ignored}",']
            # Walk up past sibling exceptions sharing one reason to the comment itself.
            while lines[at - 1].strip().startswith('"'):
                at -= 1
            assert lines[at - 1].strip().startswith("#"), f"{ignored} has no reason"
