"""Audit actions in words: "tasks.task.import" is shown as 任务·导入, never as its code.

Actions are named "app.noun.verb" (or "app.verb"). The label is built from the noun (or the
app's name) and the verb, so an action added later reads well as long as its words are here;
an unknown word falls back to the app's name and the code is kept for the audit page only.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

NOUNS = {
    "alias": _("Unit alias"), "assignment": _("Survey assignment"), "bands": _("Grade bands"),
    "bonus": _("Bonus points"), "bulletin": _("Bulletin"), "campaign": _("Campaign"), "card": _("Warning card"),
    "catalogues": _("Catalogues"), "config": _("Scoring settings"), "deliverable": _("Deliverable"),
    "department": _("Department"), "item": _("Checklist item"), "key": _("Signing key"),
    "membership": _("Role"), "month": _("Monthly report"), "negative": _("Negative-list event"),
    "observation": _("Inspection finding"), "person": _("Person"), "point": _("Point"), "policy": _("Policy"),
    "problem": _("Problem"), "question": _("Question"), "questionnaire": _("Questionnaire"),
    "quota": _("Quota"), "rating": _("Star rating"), "report": _("Report"), "requirement": _("Material requirement"),
    "root": _("Root unit"), "round": _("Round"), "rules": _("Rules"), "run": _("Background job"),
    "scheme": _("Star scheme"), "snapshot": _("Dashboard figures"), "submission": _("Material filing"),
    "summons": _("Summons"), "system": _("Evaluation system"), "task": _("Task"), "type": _("Point type"),
    "unit": _("Unit"), "user": _("User"), "export": _("Export"), "duty": _("Duty shift"),
}  # fmt: skip

VERBS = {
    "create": _("created"), "add": _("added"), "update": _("changed"), "edit": _("edited"), "change": _("changed"),
    "import": _("imported"), "import_update": _("updated by import"), "status": _("status changed"),
    "record": _("recorded"), "submit": _("submitted"), "resubmit": _("submitted again"), "save": _("saved"),
    "publish": _("published"), "withdraw": _("withdrawn"), "unlock": _("unlocked"), "rotate": _("rotated"),
    "report": _("reported"), "reopen": _("reopened"), "remove": _("removed"), "refresh": _("refreshed"),
    "refresh_requested": _("refresh requested"), "recompute": _("recomputed"), "purge": _("purged"),
    "plan": _("planned"), "password_reset": _("password reset"), "password_change": _("password changed"),
    "otp_verified": _("second factor verified"), "otp_reset": _("second factor reset"),
    "otp_enrolled": _("second factor set up"), "otp_disabled": _("second factor turned off"),
    "open": _("opened"), "login": _("signed in"), "load": _("loaded"), "link_indicators": _("linked to indicators"),
    "generate": _("generated"), "evidence": _("evidence sent"), "draw": _("drawn"), "dismiss": _("dismissed"),
    "discard": _("discarded"), "delete": _("deleted"), "deactivate": _("deactivated"),
    "confirm_done": _("confirmed done"), "compute": _("computed"), "clear": _("cleared"), "amend": _("amended"),
    "add_points": _("points added"), "activate": _("activated"), "dispatch": _("dispatched"),
    "accept": _("accepted"), "return": _("returned"), "verify": _("verified"), "close": _("closed"),
    "merge": _("merged"), "review": _("reviewed"), "approve": _("approved"), "reject": _("sent back"),
    "assign": _("assigned"), "check_out": _("checked out"), "check_in": _("checked in"),
    "hotline": _("12345 sheet"), "ledger": _("ledger"), "list": _("list"), "supervised": _("supervised"),
}  # fmt: skip


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return ""


def action_label(code: str) -> str:
    """The action in words: 任务·导入 for "tasks.import", 问题·交办 for "problems.problem.dispatch"."""
    parts = [p for p in str(code or "").split(".") if p]
    if not parts:
        return ""
    verb = VERBS.get(parts[-1])
    noun = NOUNS.get(parts[-2]) if len(parts) >= 3 else None
    subject = str(noun) if noun else _app_name(parts[0])
    if verb and subject:
        return f"{subject}·{verb}"
    if verb:
        return str(verb)
    return subject or str(code)
