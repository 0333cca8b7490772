"""The month's ranking as an .xlsx (the table the office pastes into its 通报)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.utils.translation import gettext as _

from chuangwen.assessments.models import AssessmentMonth, RuleKind, UnitAssessment
from chuangwen.core.xlsx import write_table


def month_xlsx(month: AssessmentMonth, results: Iterable[UnitAssessment]) -> tempfile.SpooledTemporaryFile:
    """One row per unit: rank, unit, base, each rule's count and points, deducted, score."""
    kinds = list(RuleKind)
    headers = [_("Rank"), _("Unit"), _("Base score")]
    for kind in kinds:
        headers += [
            _("%(rule)s (count)") % {"rule": kind.label},
            _("%(rule)s (points)") % {"rule": kind.label},
        ]
    headers += [_("Points deducted"), _("Score")]

    def rows():
        for r in results:
            by_kind = {line.kind: line for line in r.lines.all()}
            row = [r.rank, r.unit.name, float(r.base_score)]
            for kind in kinds:
                line = by_kind.get(kind)
                row += [line.count if line else 0, float(line.points) if line else 0]
            row += [float(r.deducted), float(r.score)]
            yield row

    return write_table(_("Assessment %(month)s") % {"month": f"{month.month:%Y-%m}"}, headers, rows())
