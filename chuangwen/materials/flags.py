"""What the reader of an evidence flag is told about another unit's filing.

A reused-photo flag is stored with the other filing's title, unit and link, which the office
needs to judge fraud. A unit's own people see such a flag on their filing too; the other
filing is not theirs to read, so they are told only that another unit filed the photo, and
when (issue 23). Whoever may open the other filing (the office, leaders, the unit itself, a
parent unit) sees the whole flag and the link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.materials.models import EvidenceFlag, FlagCode, Submission


def prepare_for(flags: Iterable[EvidenceFlag], user: Any) -> list[EvidenceFlag]:
    """The flags with `shown_message` and `other_visible` set for this reader."""
    flags = list(flags)
    others = {f.other_submission_id for f in flags if f.other_submission_id}
    visible = (
        set(scoped(Submission.objects.filter(pk__in=others), user).values_list("pk", flat=True))
        if others
        else set()
    )
    # A flag whose other filing is gone still keeps its title and unit in params: only a
    # reader who sees every unit may read them then.
    sees_all = scope_for(user).everything
    for flag in flags:
        flag.other_visible = flag.other_submission_id in visible
        flag.shown_message = flag.message_for(
            flag.other_visible
            or (not flag.other_submission_id and (flag.code != FlagCode.REUSED or sees_all))
        )
    return flags
