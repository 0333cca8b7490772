"""The Chinese catalogue is complete, compiled and consistent with the code's English msgids.

The .po file is read with a small standard-library parser, so the checks need no gettext tooling;
only the comparison with a fresh `msgfmt` build is skipped when GNU gettext is not installed.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[k] for k in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def label(self) -> str:
        return f"{PO_FILE.name}:{self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which a Python string literal reads the same way.
    return ast.literal_eval(text)


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')


def parse_po(path: Path) -> list[Entry]:
    """The live (non-obsolete) entries of a .po file, header first; entries are separated by blank lines."""
    entries: list[Entry] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    block: list[tuple[int, str]] = []
    for number, raw in enumerate([*lines, ""], start=1):
        if raw.strip():
            block.append((number, raw.strip()))
            continue
        if block:
            entry = _parse_block(path, block)
            if entry is not None:
                entries.append(entry)
        block = []
    return entries


def _parse_block(path: Path, block: list[tuple[int, str]]) -> Entry | None:
    entry: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None
    for number, line in block:
        if line.startswith("#~"):
            return None  # obsolete
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if entry is None:
            entry = Entry(line=number, flags=flags)
        if line.startswith('"'):
            assert target is not None, f"{path.name}:{number}: string without a keyword"
            name, index = target
        else:
            match = KEYWORD.match(line)
            assert match, f"{path.name}:{number}: cannot parse {line!r}"
            name, index = match.group(1), (int(match.group(2)) if match.group(2) else None)
            line = match.group(3)
            target = (name, index)
            if index is not None:
                entry.msgstr_plural[index] = ""
            elif name in ("msgctxt", "msgid_plural"):
                setattr(entry, name, "")
        value = _unquote(line)
        if index is not None:
            entry.msgstr_plural[index] += value
        else:
            setattr(entry, name, getattr(entry, name) + value)
    return entry


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO_FILE)


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.is_header]


def test_the_parser_reads_the_catalogue(entries):
    assert entries and entries[0].is_header
    assert len(_messages(entries)) > 100
    by_id = {e.msgid: e for e in entries}
    assert by_id["Sign in"].msgstr == "登录"


def test_the_header_declares_utf8_and_one_plural_form(entries):
    header = entries[0].msgstr
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header


def test_no_entry_is_untranslated_or_fuzzy(entries):
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries are ignored at run time:\n" + "\n".join(fuzzy)
    untranslated = [e.label for e in _messages(entries) if not all(s for s in e.translations)]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_plural_entries_have_exactly_one_form(entries):
    wrong = [e.label for e in entries if e.msgid_plural is not None and sorted(e.msgstr_plural) != [0]]
    assert not wrong, "Chinese has one plural form (msgstr[0] only):\n" + "\n".join(wrong)


# %% is a literal percent sign, not a placeholder.
PERCENT = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")
BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d*\}")


def _percent_placeholders(text: str) -> list[str]:
    return sorted(p for p in PERCENT.findall(text) if p != "%%")


def _brace_placeholders(text: str) -> set[str]:
    return set(BRACE.findall(text))


def test_placeholders_match_the_msgid(entries):
    wrong = []
    for e in _messages(entries):
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid_plural, e.msgid]
        for text in e.translations:
            if "python-format" in e.flags:
                got = _percent_placeholders(text)
                if all(got != _percent_placeholders(src) for src in sources):
                    wrong.append(
                        f"{e.label}: {text!r} has {got}, expected {_percent_placeholders(sources[0])}"
                    )
            got_braces = _brace_placeholders(text)
            if all(got_braces != _brace_placeholders(src) for src in sources):
                wrong.append(f"{e.label}: {text!r} has {sorted(got_braces)}")
    assert not wrong, "placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_leading_and_trailing_newlines_follow_the_msgid(entries):
    wrong = []
    for e in _messages(entries):
        for text in e.translations:
            starts, ends = text.startswith("\n"), text.endswith("\n")
            if starts != e.msgid.startswith("\n") or ends != e.msgid.endswith("\n"):
                wrong.append(e.label)
    assert not wrong, "\n".join(wrong)


def _catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)


def _expected_catalog(entries: list[Entry]) -> dict:
    """What msgfmt puts in the .mo: every translated, non-fuzzy entry (the header too)."""
    expected: dict = {}
    for e in entries:
        if "fuzzy" in e.flags:
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            if e.msgstr:
                expected[key] = e.msgstr
        elif all(e.msgstr_plural.values()):
            for index, text in e.msgstr_plural.items():
                expected[(key, index)] = text
    return expected


def test_the_compiled_catalogue_matches_the_po(entries):
    assert MO_FILE.exists(), "run scripts/messages.sh to compile the catalogue"
    compiled = _catalog(MO_FILE)
    expected = _expected_catalog(entries)
    missing = sorted(str(k) for k in expected if k not in compiled)
    stale = sorted(str(k) for k in compiled if k not in expected)
    changed = sorted(str(k) for k in expected if k in compiled and compiled[k] != expected[k] and k != "")
    assert not (missing or stale or changed), (
        "django.mo is out of date; run scripts/messages.sh\n"
        f"missing: {missing[:20]}\nstale: {stale[:20]}\nchanged: {changed[:20]}"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_the_compiled_catalogue_matches_a_fresh_msgfmt_build(tmp_path):
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(PO_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert _catalog(fresh) == _catalog(MO_FILE), "django.mo is out of date; run scripts/messages.sh"


@pytest.mark.django_db
def test_the_login_page_is_in_chinese_by_default(client, chinese):
    from chuangwen import settings as project_settings

    assert project_settings.LANGUAGE_CODE == "zh-hans"  # the product default, whatever tests run in
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录" in html
    assert "Sign in" not in html


def test_gettext_gives_chinese_when_zh_hans_is_active():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
        assert translation.gettext("Sign out") == "退出登录"
        assert translation.ngettext("%(counter)s person", "%(counter)s people", 3) % {"counter": 3} == "3 人"
