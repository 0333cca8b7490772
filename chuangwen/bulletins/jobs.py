"""Background job of bulletins (huey): gathering the figures and writing the .docx and PDF."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def generate_bulletin(bulletin_id: int, token: int) -> str:
    # No automatic retries: a failure is shown on the page with its error, and the office
    # retries from there once the cause (a missing font, say) is fixed.
    from chuangwen.bulletins.generation import run

    return run(bulletin_id, token)
