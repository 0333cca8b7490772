"""Demo volunteers (issue 17): two teams of community A, twenty volunteers with fictional
names, four past Friday activities with confirmed hours and one activity today, open for
sign-in. Idempotent: a second load finds the teams and writes nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from chuangwen.demo.accounts import COMMUNITY_A
from chuangwen.demo.base import DemoContext, login
from chuangwen.volunteers import services
from chuangwen.volunteers.models import Activity, Category, Team, Volunteer

_SURNAMES = "江岳穆闻柏霍蓝甘聂卓"
_GIVEN = ("若水", "知远", "晴川", "一苇", "怀瑾", "清扬", "书禾", "子衿", "望舒", "南乔")


def load(ctx: DemoContext) -> None:
    unit = ctx.unit(COMMUNITY_A)
    if Team.objects.filter(unit=unit, name="文明劝导志愿服务队").exists():
        return
    office = login("community")
    teams = [
        services.save_team(Team(unit=unit, name=name), office)
        for name in ("文明劝导志愿服务队", "环境清洁志愿服务队")
    ]
    rng = random.Random(17)  # noqa: S311 - demo data, not secrets
    volunteers = []
    for i in range(20):
        name = _SURNAMES[i % 10] + _GIVEN[(i * 3) % 10]
        volunteers.append(
            services.save_volunteer(
                Volunteer(
                    unit=unit,
                    name=name,
                    phone=f"1990017{i:04d}",
                    code=f"DEMO-V{i:03d}",
                    gender="f" if i % 2 else "m",
                ),
                office,
                teams=[teams[i % 2]],
            )
        )
    ctx.count(Team, len(teams))
    ctx.count(Volunteer, len(volunteers))
    today = ctx.today
    last_friday = today - dt.timedelta(days=(today.weekday() - 4) % 7 or 7)
    for week in range(4):
        day = last_friday - dt.timedelta(days=7 * week)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(15)))
        activity = services.save_activity(
            Activity(
                unit=unit,
                team=teams[week % 2],
                title=f"周五志愿服务日·{'文明劝导' if week % 2 == 0 else '环境清洁'}",
                category=Category.PERSUASION if week % 2 == 0 else Category.CLEANING,
                address="社区文化广场",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                capacity=15,
            ),
            office,
        )
        for volunteer in rng.sample(volunteers, 8):
            record = services.register_walk_in(activity, volunteer, office)
            services.confirm_record(record, office, hours=rng.choice(("1.5", "2", "2")))
        services.close_activity(activity, office)
        ctx.count(Activity)
    now = timezone.now()
    services.save_activity(
        Activity(
            unit=unit,
            team=teams[0],
            title="红色星期六·文明交通劝导",
            category=Category.TRAFFIC,
            address="社区东门路口",
            starts_at=now - dt.timedelta(minutes=30),
            ends_at=now + dt.timedelta(hours=3),
            capacity=10,
        ),
        office,
    )
    ctx.count(Activity)
