#!/usr/bin/env python3
"""Fill empty translations in the catalogue from JSON files of {msgid: Chinese}.

Usage: scripts/po_fill.py FILE.json... (after scripts/messages.sh has extracted new msgids).
A key may be "context\x04msgid" for a pgettext entry. Plural entries take the one Chinese form
for msgstr[0] (zh_Hans has a single plural form). Prints the msgids still untranslated.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "chuangwen/locale/zh_Hans/LC_MESSAGES/django.po"
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def unquote(text: str) -> str:
    return json.loads(f'"{text}"')


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def parse(block: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    current = None
    for line in block:
        match = FIELD.match(line)
        if match:
            current = match.group(1)
            fields[current] = unquote(match.group(2))
        elif line.startswith('"') and current:
            fields[current] += unquote(line[1:-1])
    return fields


def main(paths: list[str]) -> int:
    table: dict[str, str] = {}
    for path in paths:
        table.update(json.loads(Path(path).read_text(encoding="utf-8")))
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    missing = []
    out = []
    for block in blocks:
        lines = block.split("\n")
        fields = parse(lines)
        msgid = fields.get("msgid")
        if not msgid:
            out.append(block)
            continue
        key = f"{fields['msgctxt']}\x04{msgid}" if "msgctxt" in fields else msgid
        plural = "msgid_plural" in fields
        current = fields.get("msgstr[0]" if plural else "msgstr", "")
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if current and not fuzzy:
            out.append(block)
            continue
        if key not in table and "%%" in key and key.replace("%%", "%") in table:
            # A template string with a literal % is extracted doubled (python-format): so is its msgstr.
            table[key] = table[key.replace("%%", "%")].replace("%", "%%")
        if key not in table:
            missing.append(key)
            out.append(block)
            continue
        kept = [
            line
            for line in lines
            if not line.startswith("msgstr") and not (line.startswith('"') and _after_msgstr(lines, line))
        ]
        kept = [line.replace(", fuzzy", "") if line.startswith("#,") else line for line in kept]
        # The file's last block ends with its newline: drop that empty line, or the new msgstr
        # would sit after a blank line (a separate, broken entry); it is written back below.
        kept = [line for line in kept if line.strip() not in ("#", "#,", "") and not line.startswith("#|")]
        kept.append(f"msgstr[0] {quote(table[key])}" if plural else f"msgstr {quote(table[key])}")
        out.append("\n".join(kept))
    PO.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    for key in missing:
        print("untranslated:", key.replace("\x04", " | "))
    return 0


def _after_msgstr(lines: list[str], target: str) -> bool:
    """True when the continuation line `target` belongs to a msgstr field."""
    current = None
    for line in lines:
        match = FIELD.match(line)
        if match:
            current = match.group(1)
        if line is target:
            return bool(current and current.startswith("msgstr"))
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
