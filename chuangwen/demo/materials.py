"""Demo material requirements (网报材料要求) and a handful of filings in different review states,
through the materials services: approved through three levels, in review, sent back and filed
again, awaiting final sign-off. One filing reuses a photo and one carries a back-dated photo,
so the evidence checks (run by the job worker) have something to catch."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangwen.core.xlsx import workbook
from chuangwen.demo.base import DemoContext, login, valid
from chuangwen.demo.geography import community_boxes, spot
from chuangwen.demo.photos import jpeg, upload
from chuangwen.materials.forms import RequirementForm
from chuangwen.materials.models import MaterialRequirement, ReviewAction, Submission
from chuangwen.materials.services import ActivityData, review, save_requirement, submit
from chuangwen.tasks.periods import add_months, month_start

# (task key, seq, title, kind, cadence, extra form fields).
REQUIREMENTS: tuple[tuple[str, int, str, str, str, dict[str, Any]], ...] = (
    ("T01", 1, "理论宣讲活动实景图片", "photos", "quarterly",
     {"photos_min": 2, "photos_max": 6, "organiser_required": True,
      "notes": "参与群众不少于10人；图片中不得出现不文明行为，须能看清宣讲现场和参与群众"}),
    ("T02", 1, "好家庭评选通知", "norm", "once", {}),
    ("T02", 2, "好家庭展示现场图片", "photos", "once", {"photos_min": 2, "photos_max": 4}),
    ("T04", 1, "注册志愿者月度统计表", "table", "monthly", {}),
    ("T13", 1, "食用农产品抽检情况说明", "report", "quarterly", {"words_max": 800}),
    ("T17", 1, "年度创建方案和任务分解表", "norm", "once", {}),
    ("T18", 1, "法律进社区活动实景图片", "photos", "quarterly",
     {"photos_min": 2, "photos_max": 6, "min_participants": 20, "organiser_required": True}),
    ("T19", 1, "督查问题整改台账", "table", "monthly", {}),
)  # fmt: skip


def _requirements(ctx: DemoContext) -> dict[tuple[str, int], MaterialRequirement]:
    office = login("office")
    found = {}
    for key, seq, title, kind, cadence, extra in REQUIREMENTS:
        task = ctx.tasks[key]
        requirement = MaterialRequirement.objects.filter(task=task, seq=seq).first()
        if requirement is None:
            data = {"seq": seq, "title": title, "kind": kind, "cadence": cadence, "is_active": True,
                    "source_text": task.material_requirement, **extra}  # fmt: skip
            requirement = save_requirement(valid(RequirementForm(data, task=task)), office)
            ctx.count(MaterialRequirement)
        found[(key, seq)] = requirement
    return found


def _xlsx(title: str, rows: list[tuple]) -> bytes:
    """A filed table: the title row, then the rows (core.xlsx, the product's one xlsx writer)."""
    out = io.BytesIO()
    with workbook(out) as book:
        sheet = book.add_worksheet()
        for row_no, row in enumerate([(title,), *rows]):
            for col, value in enumerate(row):
                sheet.write(row_no, col, value)
    return out.getvalue()


def _taken(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 20))


def load(ctx: DemoContext) -> None:
    """Requirements, then the filings (each keyed, so a second run finds them and stops)."""
    requirements = _requirements(ctx)
    liaison, liaison_b = login("liaison"), login("liaison_b")
    unit_admin, office, leader = login("unit_admin"), login("office"), login("leader")
    street_a, street_b = ctx.unit("ML-S01"), ctx.unit("ML-S02")
    today = ctx.today
    place_a = spot(community_boxes()["ML-S01-01"], 0.4, 0.5)
    place_b = spot(community_boxes()["ML-S02-03"], 0.6, 0.5)

    def file(
        key: str,
        actor: Any,
        requirement: MaterialRequirement,
        unit: Any,
        data: ActivityData,
        files: list[Any],
        previous: Submission | None = None,
    ) -> Submission | None:
        submission, created = submit(
            actor=actor,
            requirement=requirement,
            unit=unit,
            data=data,
            uploads=files,
            idempotency_key=f"demo-material-{ctx.campaign.year}-{key}",
            previous=previous,
            keep_photo_ids=tuple(previous.photos.values_list("pk", flat=True)) if previous else (),
        )
        if created:
            ctx.count(Submission)
        return submission if created else None

    def act(submission: Submission | None, actor: Any, decision: str = "approve", comment: str = "") -> None:
        if submission is not None:
            submission.refresh_from_db()
            review(actor=actor, submission=submission, decision=decision, comment=comment,
                   revision=submission.revision)  # fmt: skip
            ctx.count(ReviewAction)

    # 1. Street A's lecture: approved at 初审, 复审 and 终审.
    day = today - dt.timedelta(days=18)
    lecture = ActivityData("渔歌社区“身边的变化”理论宣讲", activity_date=day, place="渔歌社区党群服务中心",
                           latitude=place_a[0], longitude=place_a[1], organiser="鹭湾街道宣传办",
                           participants=45, description="讲师结合社区改造讲解创建要求，居民现场提问交流。")  # fmt: skip
    shots = [upload(f"宣讲{n}.jpg", 101 + n, _taken(day, 9 + n), place_a) for n in range(3)]
    first = file("01", liaison, requirements[("T01", 1)], street_a, lecture, shots)
    for reviewer in (unit_admin, office, leader):
        act(first, reviewer)

    # 2. Street B's lecture: waiting for its first review; one photo is street A's (reuse).
    day_b = today - dt.timedelta(days=9)
    lecture_b = ActivityData("桥东社区理论宣讲进楼栋", activity_date=day_b, place="澜岸社区文化室",
                             latitude=place_b[0], longitude=place_b[1], organiser="澜桥街道宣传办",
                             participants=32)  # fmt: skip
    reused = SimpleUploadedFile("现场.jpg", jpeg(101, _taken(day, 9), place_a), content_type="image/jpeg")
    file("02", liaison_b, requirements[("T01", 1)], street_b, lecture_b,
         [upload("讲座.jpg", 121, _taken(day_b, 15), place_b), reused])  # fmt: skip

    # 3. Street A's legal-aid day: sent back at 初审, filed again (version 2, in review).
    day_c = today - dt.timedelta(days=25)
    law = ActivityData("湾畔社区法律咨询日", activity_date=day_c, place="湾畔社区广场",
                       latitude=place_a[0], longitude=place_a[1], organiser="", participants=12)  # fmt: skip
    law_shots = [upload(f"普法{n}.jpg", 131 + n, _taken(day_c, 10), place_a) for n in range(2)]
    sent_back = file("03", liaison, requirements[("T18", 1)], street_a, law, law_shots)
    act(sent_back, unit_admin, "send_back", "未写明组织单位，参与群众少于20人，请补充签到表照片后重新提交。")
    if sent_back is not None:  # version 2 keeps the first photos, as the resubmit page does
        law.organiser, law.participants = "鹭湾街道司法所", 26
        file("04", liaison, requirements[("T18", 1)], street_a, law,
             [upload("签到表.jpg", 135, _taken(day_c, 11), place_a)], previous=sent_back)  # fmt: skip

    # 4. Street A's volunteer table for last month: through 初审 and 复审, awaiting 终审.
    month = add_months(month_start(today), -1)
    table = _xlsx("鹭湾街道注册志愿者统计表", [("社区", "本月新增", "累计"), ("湾畔社区", 18, 640),
                                               ("渔歌社区", 22, 585), ("鹭鸣社区", 15, 512)])  # fmt: skip
    volunteers = file("05", liaison, requirements[("T04", 1)], street_a,
                      ActivityData(f"{month.month}月注册志愿者统计", period=f"{month:%Y-%m}"),
                      [SimpleUploadedFile("志愿者统计.xlsx", table)])  # fmt: skip
    act(volunteers, unit_admin)
    act(volunteers, office)

    # 5. Street A's family display: one photo was taken weeks before the stated day (back-dated).
    day_d = today - dt.timedelta(days=6)
    display = ActivityData("湾畔社区好家庭风采展", activity_date=day_d, place="湾畔社区宣传长廊",
                           latitude=place_a[0], longitude=place_a[1], organiser="鹭湾街道妇联",
                           participants=30)  # fmt: skip
    old = timezone.localtime().replace(tzinfo=None) - dt.timedelta(days=48)
    photos = [upload("展板.jpg", 141, _taken(day_d, 16), place_a), upload("展示.jpg", 142, old, place_a)]
    file("06", liaison, requirements[("T02", 2)], street_a, display, photos)
