"""Exports of the year-end account: the table (.xlsx) and a unit's statement (.docx)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.utils.translation import gettext as _

from chuangwen.core.xlsx import write_table
from chuangwen.ledger.compute import UnitAccount
from chuangwen.ledger.models import EntryKind


def table_xlsx(year: int, rows: list[UnitAccount]) -> tempfile.SpooledTemporaryFile:
    """One row per unit: rank, unit, base, each kind's count and points, deducted, credited, total."""
    kinds = list(EntryKind)
    headers = [_("Rank"), _("Unit"), _("Base score")]
    for kind in kinds:
        headers += [
            _("%(kind)s (count)") % {"kind": kind.label},
            _("%(kind)s (points)") % {"kind": kind.label},
        ]
    headers += [_("Points deducted"), _("Points credited"), _("Year-end total")]

    def lines():
        for a in rows:
            by_kind = {line.kind: line for line in a.lines}
            row: list[Any] = [a.rank, a.name, a.base]
            for kind in kinds:
                line = by_kind.get(kind)
                row += [line.count if line else 0, line.points if line else 0]
            row += [a.deducted, a.credited, a.total]
            yield row

    return write_table(_("Year-end account %(year)d") % {"year": year}, headers, lines())


def statement_docx(campaign: Any, year: int, account: UnitAccount, lost: list[dict[str, Any]]) -> bytes:
    """The statement a unit can be handed: every line of its account, explained."""
    from chuangwen.bulletins.blocks import Block
    from chuangwen.bulletins.docx_writer import render
    from chuangwen.scoring.summary import method_name

    blocks = [
        Block(
            "title",
            _("%(year)d year-end performance statement of %(unit)s") % {"year": year, "unit": account.name},
        ),
        Block(
            "para",
            _(
                "%(campaign)s. Base score %(base)s, deducted %(deducted)s, credited %(credited)s: total %(total)s, rank %(rank)d."
            )
            % {
                "campaign": campaign.name,
                "base": account.base,
                "deducted": account.deducted,
                "credited": account.credited,
                "total": account.total,
                "rank": account.rank,
            },
        ),
        Block("heading", "一、" + _("Lines of the account")),
        Block(
            "table",
            headers=[_("item"), _("count"), _("amount"), _("points per record"), _("cap"), _("score points")],
            rows=[
                [
                    line.label,
                    str(line.count),
                    str(line.amount),
                    str(line.weight),
                    "—" if line.cap is None else str(line.cap),
                    ("+" if line.is_credit else "−")
                    + str(line.points)
                    + (_(" (capped)") if line.capped else ""),
                ]
                for line in account.lines
            ],
        ),
    ]
    if lost:
        blocks += [
            Block("heading", "二、" + _("Points lost by method and indicator")),
            Block(
                "table",
                headers=[_("method"), _("indicator"), _("points lost")],
                rows=[
                    [
                        method_name(r["method"]),
                        f"{r['code'] or ''} {r['indicator_name'] or ''}".strip(),
                        f"{r['lost']:.2f}",
                    ]
                    for r in lost
                ],
            ),
        ]
    return render(blocks, {})
