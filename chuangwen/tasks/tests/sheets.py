"""Building .xlsx files in tests, the way offices lay them out (title rows, merged cells)."""

from __future__ import annotations

from chuangwen.indicators.tests.fixtures import xlsx

__all__ = ["xlsx", "office_table", "HEADER", "TITLE"]


TITLE = "青石区2026年创建全国文明城市工作任务分解表"
HEADER_TOP = [
    "序号",
    "测评指标",
    None,
    None,
    "测评方式",
    "责任分工",
    None,
    None,
    "责任领导",
    "责任人",
    "完成时限",
    "具体安排",
    "材料审核具体要求",
]
HEADER = [
    "序号",
    "测评项目",
    "测评内容",
    "测评标准",
    "测评方式",
    "牵头单位",
    "责任单位",
    "配合单位",
    "责任领导",
    "责任人",
    "完成时限",
    "具体安排",
    "材料审核具体要求",
]


def office_table() -> tuple[list[list[object]], list[str]]:
    """A task table as a district office writes it: a title row, a two-row header, merged
    level 1/2 cells, several units per cell, aliases and short names, Chinese dates, a
    subtotal row and a blank row."""
    rows = [
        [TITLE] + [None] * 12,
        ["填报单位：青石区创建办", None, None, None, None, None, None, None, None, None, "2026年3月"],
        HEADER_TOP,
        HEADER,
        [
            1,
            "Ⅰ-3 培育文明道德风尚",
            "Ⅱ-8 志愿服务制度化",
            "Ⅲ-17 参与活动的注册志愿者≥70%",
            "材料审核、实地考察",
            "创建办（牵头）",
            "松林街道、柳岸街道",
            "商务局",
            "王区长",
            "林小松",
            "每月",
            "4月：制定方案；5月：开展志愿服务月活动；6月：总结",
            "①每季度一场活动；②提供2张图片",
        ],
        [
            2,
            None,
            None,
            "Ⅲ-16 注册志愿者占建成区常住人口比例≥10%",
            "材料审核",
            None,
            "松林街道\n柳岸街道",
            None,
            "王区长",
            "林小松、柳小岸",
            "2026年6月30日",
            "",
            "上报工作总结",
        ],
        [
            3,
            "Ⅰ-9 舒适便利的生活环境",
            "Ⅱ-27 公共服务",
            "主干道装灯率100%　亮灯率≥99%",
            "实地考察",
            "青石区商务局",
            "各街道",
            None,
            None,
            None,
            "6月底",
            "",
            "",
        ],
        [
            4,
            None,
            None,
            "公益广告广泛刊播",
            "问卷调查",
            None,
            "柳岸街道（配合市容科）",
            None,
            None,
            None,
            "3·15、质量月",
            "",
            "",
        ],
        [None, "小计", None, None, None, None, None, None, None, None, None, None, None],
        [None] * 13,
    ]
    merges = [
        "A1:M1",
        "B3:D3",
        "F3:H3",
        "A3:A4",
        "E3:E4",
        "I3:I4",
        "J3:J4",
        "K3:K4",
        "L3:L4",
        "M3:M4",
        "B5:B6",
        "C5:C6",
        "B7:B8",
        "C7:C8",
    ]
    return rows, merges
