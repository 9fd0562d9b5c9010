"""Every environment variable the code reads is documented in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READS = re.compile(r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read_by_the_code() -> set[str]:
    found = set()
    for path in (ROOT / "src" / "bluelamp").rglob("*.py"):
        found.update(READS.findall(path.read_text()))
    return found


def test_the_code_reads_settings_from_the_environment():
    assert {"DATABASE_URL", "BLUELAMP_SECRET_KEY"} <= variables_read_by_the_code()


def test_every_variable_is_documented():
    documented = set(
        re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    missing = variables_read_by_the_code() - documented
    assert not missing, f"add these to docs/settings.md: {sorted(missing)}"
