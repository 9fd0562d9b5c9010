"""Every audit test keeps its checkpoints in a file of its own, never in var/."""

import pytest


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    settings.BLUELAMP_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"
