import pytest


@pytest.fixture(autouse=True)
def _checkpoint_file(settings, tmp_path):
    """Each test publishes its checkpoints to a file of its own, never to the data folder's."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_WEBHOOK = ""
    return settings.AUDIT_CHECKPOINT_FILE
