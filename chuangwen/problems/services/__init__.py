"""State transitions of a problem: report → dispatch → accept → start → submit → verify (→ closed).

Each transition locks the row (`select_for_update`), refuses a stale `version` with a
ConflictError (someone else acted first: reload), checks the state (DomainError), saves only
the fields it changes, bumps the version, writes one timeline row (ProblemEvent) and one
audit entry, and queues notifications for after the commit. Views and API routes check the
actor's role and scope before calling; these functions enforce the rules of the loop itself.
`version=None` skips the staleness check (jobs and bulk actions that act on the latest row).
"""

from chuangwen.problems.services.base import actor_name, attach_photos
from chuangwen.problems.services.hotline import close_from_hotline
from chuangwen.problems.services.intake import report
from chuangwen.problems.services.lifecycle import (
    accept,
    add_photos,
    decide_extension,
    dispatch,
    mark_duplicate,
    mark_not_applicable,
    request_extension,
    return_to_office,
    start,
    submit,
    verify,
)

__all__ = [
    "accept",
    "actor_name",
    "add_photos",
    "attach_photos",
    "close_from_hotline",
    "decide_extension",
    "dispatch",
    "mark_duplicate",
    "mark_not_applicable",
    "report",
    "request_extension",
    "return_to_office",
    "start",
    "submit",
    "verify",
]
