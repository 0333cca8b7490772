"""Background jobs of the materials app (huey; run inline when HUEY immediate is on, as in tests)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def check_submission(submission_id: int) -> int:
    """Run the evidence checks of one submission; returns the number of flags raised."""
    from chuangwen.materials.evidence.runner import run_checks

    return run_checks(submission_id)
