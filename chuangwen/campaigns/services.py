"""Changes to a campaign, its phases and deliverables, its 指挥部 posts and working groups.

Each change runs in one transaction, locks the row it changes and writes one audit entry,
like every other change in the product (these were edited in the admin site, unaudited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import diff, log_action
from chuangwen.campaigns.models import (
    Campaign,
    CampaignLevel,
    CommandPost,
    DeliverableStatus,
    Phase,
    PhaseTask,
    WorkingGroup,
)
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            out[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            out[name] = getattr(obj, f"{name}_id")
        else:
            value = getattr(obj, name)
            out[name] = value.name if isinstance(value, FieldFile) else value
    return out


def _save_form(form: ModelForm, actor: Any, noun: str, request: HttpRequest | None, **extra: Any) -> Any:
    """Save a model form of a campaign object with a before/after audit entry."""
    fields = list(getattr(form, "audit_fields", form.Meta.fields))
    model = form._meta.model
    before: dict[str, Any] = {}
    if form.instance.pk:
        before = _snapshot(model.objects.select_for_update().get(pk=form.instance.pk), fields)
    obj = form.save(commit=False)
    for key, value in extra.items():
        setattr(obj, key, value)
    obj.save()
    form.save_m2m()
    log_action(
        actor,
        f"campaigns.{noun}.{'update' if before else 'create'}",
        obj,
        diff(before, _snapshot(obj, fields)),
        request=request,
    )
    return obj


@transaction.atomic
def save_campaign(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> Campaign:
    """Create or update a campaign; making it current takes the mark from the one that had it."""
    if form.cleaned_data.get("is_current"):
        Campaign.objects.select_for_update().filter(is_current=True).exclude(pk=form.instance.pk).update(
            is_current=False
        )
    return _save_form(form, actor, "campaign", request)


@dataclass
class PhaseSpec:
    name: str
    start: dt.date
    end: dt.date


# The four phases of the plans offices write (seed 000: 宣传发动 → 突出重点 → 巩固提高 → 考核验收),
# each with what it must produce; the office edits them, they are only a start.
STANDARD_PHASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "宣传发动、营造氛围",
        (
            "设置更换一批创建知识、市民文明守则等公益宣传广告和宣传牌",
            "利用市民学校、家长学校等阵地开展创建宣传教育活动",
            "组织创建宣讲和文明劝导活动",
            "收集整理创建档案材料，查漏补缺",
        ),
    ),
    (
        "突出重点、整体推进",
        (
            "对照目标任务和测评标准梳理达标情况，制定未达标项目整改措施",
            "督查指导组对各责任单位目标完成情况开展督查并通报",
        ),
    ),
    (
        "巩固提高、全面达标",
        (
            "各责任单位上报目标任务完成情况和数据统计",
            "创建档案资料归档管理",
            "汇报材料和迎检准备工作",
        ),
    ),
    (
        "考核验收、迎检达标",
        (
            "公共秩序、市容市貌、市民文明行为集中整治",
            "建立迎检工作机制和保障机制，明确责任分工",
            "总结经验，巩固扩大创建成果",
        ),
    ),
)


def standard_phases(start: dt.date, inspection: dt.date) -> list[PhaseSpec]:
    """The four standard phases spread from `start` to the inspection date (the last phase
    runs to the inspection)."""
    if inspection <= start + dt.timedelta(days=7):
        raise DomainError(_("The inspection date must be more than a week from the start."))
    span = (inspection - start).days
    cuts = [start + dt.timedelta(days=round(span * share)) for share in (0, 0.25, 0.55, 0.8)]
    specs = []
    for index, (name, _items) in enumerate(STANDARD_PHASES):
        begin = cuts[index]
        end = cuts[index + 1] - dt.timedelta(days=1) if index + 1 < len(cuts) else inspection
        specs.append(PhaseSpec(name, begin, end))
    return specs


@transaction.atomic
def create_campaign(
    actor: Any,
    *,
    name: str,
    year: int,
    level: str,
    root_unit: Unit,
    office_unit: Unit | None,
    inspection_start: dt.date | None,
    inspection_end: dt.date | None = None,
    phases: list[PhaseSpec] | None = None,
    request: HttpRequest | None = None,
) -> Campaign:
    """A new current campaign with its phases; standard phases carry their deliverables,
    due at the end of the phase and owned by the campaign office."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the campaign a name."))
    if level not in CampaignLevel.values:
        raise DomainError(_("Unknown campaign level “%(level)s”.") % {"level": level})
    if not 2000 <= year <= 2100:
        raise DomainError(_("The year %(year)s is not a campaign year.") % {"year": year})
    if inspection_start and inspection_end and inspection_end < inspection_start:
        raise DomainError(_("The inspection window closes before it opens."))
    for spec in phases or []:
        if spec.end < spec.start:
            raise DomainError(_("The phase “%(name)s” ends before it starts.") % {"name": spec.name})
    Campaign.objects.select_for_update().filter(is_current=True).update(is_current=False)
    campaign = Campaign.objects.create(
        name=name,
        year=year,
        level=level,
        root_unit=root_unit,
        office_unit=office_unit,
        inspection_start=inspection_start,
        inspection_end=inspection_end,
        is_current=True,
    )
    deliverables = dict(STANDARD_PHASES)
    for seq, spec in enumerate(phases or [], start=1):
        phase = Phase.objects.create(
            campaign=campaign, seq=seq, name=spec.name, start=spec.start, end=spec.end, lead_unit=office_unit
        )
        PhaseTask.objects.bulk_create(
            PhaseTask(phase=phase, number=n, text=text, unit=office_unit, due=spec.end)
            for n, text in enumerate(deliverables.get(spec.name, ()), start=1)
        )
    log_action(
        actor,
        "campaigns.campaign.create",
        campaign,
        {
            "name": name,
            "year": year,
            "level": level,
            "root_unit": root_unit.pk,
            "inspection_start": inspection_start,
            "phases": [p.name for p in phases or []],
        },
        request=request,
    )
    return campaign


@transaction.atomic
def save_phase(form: ModelForm, actor: Any, campaign: Campaign, request: HttpRequest | None = None) -> Phase:
    return _save_form(form, actor, "phase", request, campaign=campaign)


@transaction.atomic
def delete_object(obj: models.Model, actor: Any, noun: str, request: HttpRequest | None = None) -> None:
    """Delete a phase, deliverable, post or working group, recording what it was."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    log_action(actor, f"campaigns.{noun}.delete", locked, {"name": str(locked)}, request=request)
    locked.delete()


@transaction.atomic
def save_deliverable(
    form: ModelForm, actor: Any, phase: Phase, request: HttpRequest | None = None
) -> PhaseTask:
    extra: dict[str, Any] = {"phase": phase, "updated_at": timezone.now()}
    number = form.cleaned_data.get("number")
    if not number:
        # Left empty: an edited deliverable keeps its number, a new one goes last.
        kept = PhaseTask.objects.filter(pk=form.instance.pk).values_list("number", flat=True).first()
        last = PhaseTask.objects.filter(phase=phase).aggregate(n=models.Max("number"))["n"] or 0
        number = kept or last + 1
    extra["number"] = number
    return _save_form(form, actor, "deliverable", request, **extra)


# Who may move a deliverable from which status to which: the responsible unit submits its
# evidence; the office accepts it, sends it back, or reopens an accepted one.
_MOVES = {
    DeliverableStatus.TODO: {DeliverableStatus.SUBMITTED, DeliverableStatus.DONE},
    DeliverableStatus.SUBMITTED: {DeliverableStatus.DONE, DeliverableStatus.TODO},
    DeliverableStatus.DONE: {DeliverableStatus.TODO},
}
OFFICE_MOVES = {DeliverableStatus.DONE, DeliverableStatus.TODO}


@transaction.atomic
def move_deliverable(
    actor: Any,
    deliverable: PhaseTask,
    status: str,
    *,
    by_office: bool,
    note: str = "",
    evidence: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> PhaseTask:
    """Submit evidence for a deliverable, accept it, or send it back."""
    item = PhaseTask.objects.select_for_update().get(pk=deliverable.pk)
    if status not in _MOVES.get(item.status, set()):
        raise DomainError(
            _("A deliverable that is “%(old)s” cannot become “%(new)s”.")
            % {"old": item.get_status_display(), "new": DeliverableStatus(status).label}
        )
    if status in OFFICE_MOVES and not by_office:
        raise DomainError(_("Only the campaign office accepts or sends back a deliverable."))
    if status == DeliverableStatus.SUBMITTED and not (note.strip() or evidence or item.evidence):
        raise DomainError(_("Describe the evidence or attach a file before submitting."))
    before = {"status": item.status, "evidence_note": item.evidence_note}
    item.status = status
    fields = ["status", "updated_at"]
    if note.strip():
        item.evidence_note = note.strip()
        fields.append("evidence_note")
    if evidence is not None:
        item.evidence.save(evidence.name, evidence, save=False)
        fields.append("evidence")
    item.updated_at = timezone.now()
    item.save(update_fields=fields)
    log_action(
        actor,
        "campaigns.deliverable.status",
        item,
        diff(before, {"status": item.status, "evidence_note": item.evidence_note}),
        request=request,
    )
    return item


@transaction.atomic
def save_post(
    form: ModelForm, actor: Any, campaign: Campaign, request: HttpRequest | None = None
) -> CommandPost:
    return _save_form(form, actor, "post", request, campaign=campaign)


@transaction.atomic
def save_group(
    form: ModelForm, actor: Any, campaign: Campaign, request: HttpRequest | None = None
) -> WorkingGroup:
    return _save_form(form, actor, "group", request, campaign=campaign)
