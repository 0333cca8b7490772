"""A bulletin as a list of layout blocks, written once and rendered twice (.docx and PDF).

The order is the one offices use for a 督查通报: the red masthead (红头) with the issue number,
the issuing office and the date; the title; 一、overall figures; 二、rankings; 三、整改较好;
四、整改未落实; 五、highlights; 六、the problem list (街道/乡镇 → point type → point → numbered
problems, with before/after photos); 七、整改要求; the signature; the 报送/抄送 lines (版记).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chuangwen.bulletins.content import cn_number
from chuangwen.bulletins.models import Bulletin


@dataclass
class Block:
    kind: str  # redhead, issue, masthead, title, heading, subheading, point, para, table, photos, signature, footer
    text: str = ""
    extra: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # photos: (caption, photo id or None)
    photos: list[tuple[str, int | None]] = field(default_factory=list)


def _rate(value: float | None, text: str = "") -> str:
    """The rate with its numerator and denominator named ("85.7%（到期 7 个中已整改 6 个）")."""
    shown = f"{value}%" if value is not None else "—"
    return f"{shown}（{text}）" if text else shown


def _paragraphs(text: str) -> Iterator[Block]:
    for line in (text or "").splitlines():
        if line.strip():
            yield Block("para", line.strip())


def _ranking(rows: list[dict[str, Any]], name_header: str) -> Block:
    return Block(
        "table",
        headers=[_("Rank"), name_header, _("Problems"), _("Due"), _("Rectified"), _("Overdue"), _("Rate")],
        rows=[
            [
                str(r["rank"]),
                r["name"],
                str(r["total"]),
                str(r["due"]),
                str(r["closed"]),
                str(r["overdue"]),
                _rate(r["rate"], r.get("rate_text", "")),
            ]
            for r in rows
        ],
    )


def build(bulletin: Bulletin, content: dict[str, Any]) -> list[Block]:
    date = date_format(bulletin.issue_date, "DATE_FORMAT") if bulletin.issue_date else ""
    if bulletin.number is not None:
        issue = _("Issue %(number)d") % {"number": bulletin.number}
    else:
        issue = _("Draft (not yet numbered)")
    blocks = [
        Block("redhead", _("Inspection bulletin")),
        Block("issue", issue),
        Block("masthead", bulletin.issuer, date),
        Block("title", bulletin.title),
    ]
    blocks.extend(_paragraphs(bulletin.lead))
    section = 0

    def heading(text: str) -> Block:
        nonlocal section
        section += 1
        return Block("heading", f"{cn_number(section)}、{text}")

    s = content["summary"]
    blocks.append(heading(_("Overall figures")))
    blocks.append(
        Block(
            "table",
            headers=[
                _("Points checked"),
                _("Problems found"),
                _("Rectified"),
                _("Outstanding"),
                _("Overdue"),
                _("Rectification rate"),
            ],
            rows=[
                [
                    str(s["points_checked"]),
                    str(s["total"]),
                    str(s["closed"]),
                    str(s["outstanding"]),
                    str(s["overdue"]),
                    _rate(s["rate"], s.get("rate_text", "")),
                ]
            ],
        )
    )
    blocks.append(heading(_("Rankings")))
    if content["streets_by_rate"]:
        blocks.append(Block("subheading", _("(1) Streets and townships by rectification rate")))
        blocks.append(_ranking(content["streets_by_rate"], _("Street / township")))
    blocks.append(Block("subheading", _("(2) Responsible units by rectification rate")))
    blocks.append(_ranking(content["units_by_rate"], _("Responsible unit")))
    blocks.append(Block("subheading", _("(3) Responsible units by problems found")))
    blocks.append(_ranking(content["units_by_found"], _("Responsible unit")))

    blocks.append(heading(_("Well rectified")))
    blocks.extend(_paragraphs(bulletin.good_text))
    blocks.append(heading(_("Not rectified")))
    blocks.extend(_paragraphs(bulletin.poor_text))
    if bulletin.highlights.strip():
        blocks.append(heading(_("Highlights")))
        blocks.extend(_paragraphs(bulletin.highlights))

    blocks.append(heading(_("Problems found")))
    if not content["groups"]:
        blocks.append(Block("para", _("No problems were found in this period.")))
    for s_index, street in enumerate(content["groups"], start=1):
        blocks.append(
            Block(
                "subheading",
                _("(%(n)s) %(name)s: %(count)d problems")
                % {"n": cn_number(s_index), "name": street["name"], "count": street["count"]},
            )
        )
        for t_index, type_group in enumerate(street["types"], start=1):
            blocks.append(Block("point", f"{t_index}. {type_group['name']}"))
            for point in type_group["points"]:
                blocks.append(Block("point", f"（{point['name']}）"))
                for p in point["problems"]:
                    blocks.append(
                        Block(
                            "para",
                            _(
                                "%(number)d. %(description)s (category: %(category)s; responsible unit: %(unit)s; deadline: %(deadline)s; status: %(status)s)"
                            )
                            % {**p, "deadline": p["deadline"] or "—"},
                        )
                    )
                    if p.get("before_photo") or p.get("after_photo"):
                        blocks.append(
                            Block(
                                "photos",
                                photos=[
                                    (_("Before"), p.get("before_photo")),
                                    (_("After rectification"), p.get("after_photo")),
                                ],
                            )
                        )
    blocks.append(heading(_("Rectification requirements")))
    blocks.extend(_paragraphs(bulletin.requirements))
    blocks.append(Block("signature", bulletin.issuer, date))
    footer = []
    if bulletin.submit_to.strip():
        footer.append(_("Submitted to: %(names)s") % {"names": bulletin.submit_to.strip()})
    if bulletin.copy_to.strip():
        footer.append(_("Copied to: %(names)s") % {"names": bulletin.copy_to.strip()})
    footer.append(_("%(issuer)s, issued %(date)s") % {"issuer": bulletin.issuer, "date": date})
    blocks.extend(Block("footer", line) for line in footer)
    return blocks


def photo_ids(content: dict[str, Any]) -> list[int]:
    ids = []
    for street in content["groups"]:
        for type_group in street["types"]:
            for point in type_group["points"]:
                for p in point["problems"]:
                    ids.extend(pk for pk in (p.get("before_photo"), p.get("after_photo")) if pk)
    return ids
