import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from chuangwen.core.excel import SpreadsheetError
from chuangwen.indicators import services
from chuangwen.indicators.importing import read_indicator_table
from chuangwen.indicators.models import EvaluationSystem, GradeBand, Indicator, Method, NegativeItem, Sanction
from chuangwen.indicators.tests.fixtures import xlsx

# An excerpt of the reference table (2015 edition as deployed in one district).
HEADER = [
    "level1_code",
    "level1_name",
    "level2_code",
    "level2_name",
    "level3_code",
    "level3_name",
    "methods",
    "standard",
]
ROWS = [
    [
        "Ⅰ-3",
        "培育文明道德风尚",
        "Ⅱ-8",
        "志愿服务制度化",
        "Ⅲ-16",
        "制度化建设",
        "材料审核;问卷调查",
        "注册志愿者占建成区常住人口比例≥10%",
    ],
    [
        "Ⅰ-3",
        "培育文明道德风尚",
        "Ⅱ-8",
        "志愿服务制度化",
        "Ⅲ-17",
        "志愿服务活动",
        "材料审核;实地考察",
        "参与活动的注册志愿者≥70%",
    ],
    [
        "Ⅰ-9",
        "舒适便利的生活环境",
        "Ⅱ-27",
        "公共服务",
        "Ⅲ-57",
        "街道设施",
        "实地考察",
        "主干道装灯率100%亮灯率≥99%",
    ],
    [
        "Ⅰ-11",
        "可持续发展的生态环境",
        "Ⅱ-33",
        "环境管理与环境质量",
        "Ⅲ-70",
        "建成区绿化覆盖率",
        "部门评价",
        "A >35%；B >30%；C ≤30%",
    ],
    [
        "Ⅰ-11",
        "可持续发展的生态环境",
        "Ⅱ-33",
        "环境管理与环境质量",
        "Ⅲ-74",
        "城市空气质量",
        "部门评价",
        "全年优良天数比例 A ≥80%；B ≥70%；C <70%",
    ],
]
NEGATIVE = [
    ["负面清单事项", "说明", "处理方式"],
    ["弄虚作假", "伪造材料、摆拍照片", "取消参评资格"],
    ["突击迎检", "", "扣5分"],
]


def _file(rows=ROWS, header=HEADER, **sheets):
    return xlsx([header, *rows], sheets=sheets or None)


def _import(world, data=None):
    table = read_indicator_table(data or _file(负面清单=NEGATIVE))
    assert table.ok, table.errors
    system = services.system_for_import(
        None, "全国文明城市测评体系", "2015年版", "prefecture", world.campaign
    )
    return services.import_indicators(table, system, world.office), system


def test_it_reads_the_reference_shape_into_three_levels_with_methods(world):
    table = read_indicator_table(_file())
    assert table.ok
    assert table.counts() == {
        "level1": 3,
        "level2": 3,
        "level3": 5,
        "negative_items": 0,
        "method_department": 2,
        "method_field": 2,
        "method_materials": 2,
        "method_survey": 1,
    }


def test_committing_builds_the_tree_grade_bands_and_negative_list(world):
    result, system = _import(world)
    assert result.created == 11
    item = Indicator.objects.get(system=system, code="Ⅲ-17")
    assert item.parent.code == "Ⅱ-8" and item.parent.parent.code == "Ⅰ-3"
    assert item.methods == [Method.MATERIALS, Method.FIELD]
    bands = {b.grade: (b.comparator, b.value) for b in GradeBand.objects.filter(indicator__code="Ⅲ-70")}
    assert bands == {"A": (">", Decimal("35")), "B": (">", Decimal("30")), "C": ("≤", Decimal("30"))}
    assert GradeBand.objects.get(indicator__code="Ⅲ-74", grade="A").measure == "全年优良天数比例"
    assert NegativeItem.objects.get(name="弄虚作假").sanction == Sanction.DISQUALIFY
    assert NegativeItem.objects.get(name="突击迎检").points == Decimal("5")
    assert system.campaign == world.campaign


def test_importing_again_updates_in_place(world):
    _result, system = _import(world)
    rows = [list(r) for r in ROWS]
    rows[1][7] = "参与活动的注册志愿者≥75%"
    table = read_indicator_table(_file(rows))
    result = services.import_indicators(table, system, world.office)
    assert (result.created, result.updated) == (0, 1)
    assert Indicator.objects.filter(system=system).count() == 11
    assert Indicator.objects.get(system=system, code="Ⅲ-17").standard.endswith("75%")


def test_it_understands_chinese_headers_blank_upper_levels_and_items_without_codes(world):
    header = ["测评项目", "测评内容", "三级指标", "测评方式", "测评标准", "分值"]
    rows = [
        ["培育文明道德风尚", "志愿服务制度化", "制度化建设", "材料审核", "注册志愿者比例≥10%", "2"],
        ["", "", "志愿服务活动", "实地考察", "有人员、设施、三项以上服务", "1.5分"],
    ]
    table = read_indicator_table(xlsx([["某区测评体系"], header, *rows]))
    assert table.ok, table.errors
    level3 = [r for r in table.indicators if r.level == 3]
    assert [(r.name, r.points) for r in level3] == [
        ("制度化建设", Decimal("2")),
        ("志愿服务活动", Decimal("1.5")),
    ]
    assert len({r.parent_code for r in level3}) == 1


def test_an_unknown_method_or_points_that_are_not_a_number_are_errors_with_their_cells(world):
    rows = [["Ⅰ-1", "一", "Ⅱ-1", "二", "Ⅲ-1", "三", "飞行检查", "标准"]]
    table = read_indicator_table(_file(rows))
    assert [(p.row, p.column) for p in table.errors] == [(2, "G")]


def test_a_table_without_the_indicator_columns_is_refused(world):
    table = read_indicator_table(xlsx([["姓名", "电话"], ["张三", "1"]]))
    assert not table.ok and "No header row" in table.errors[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"level1_code,level1_name\n", "not an Excel file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password"),
        (b"PK\x03\x04 truncated zip", "damaged"),
    ],
)
def test_files_that_are_not_readable_spreadsheets_are_refused_clearly(world, data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_indicator_table(data)


def test_an_empty_workbook_is_refused(world):
    with pytest.raises(SpreadsheetError, match="no data"):
        read_indicator_table(xlsx([]))


def test_the_upload_page_shows_why_a_file_was_refused_and_writes_nothing(world):
    response = world.client("office").post(
        reverse("indicators:import"),
        {
            "action": "preview",
            "name": "x",
            "level": "prefecture",
            "file": SimpleUploadedFile("s.xlsx", b"hello"),
        },
    )
    assert response.status_code == 200 and "not an Excel file" in response.content.decode()
    assert not EvaluationSystem.objects.exists()


def test_the_command_is_a_dry_run_unless_committed(world, tmp_path, capsys):
    path = tmp_path / "system.xlsx"
    path.write_bytes(_file())
    call_command("import_indicators", str(path), "--json")
    assert json.loads(capsys.readouterr().out)["level3"] == 5
    assert not EvaluationSystem.objects.exists()
    call_command("import_indicators", str(path), "--commit", "--name", "测评体系", "--edition", "2015年版")
    system = EvaluationSystem.objects.get()
    assert system.campaign == world.campaign and system.indicators.count() == 11


def test_the_command_exits_with_an_error_for_a_bad_table(world, tmp_path):
    path = tmp_path / "system.xlsx"
    path.write_bytes(_file([["Ⅰ-1", "一", "Ⅱ-1", "二", "Ⅲ-1", "三", "飞行检查", "标准"]]))
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), "--commit", "--name", "x")
    assert not EvaluationSystem.objects.exists()


def test_the_upload_page_previews_then_commits_into_a_new_system(world):
    client = world.client("office")
    url = reverse("indicators:import")
    preview = client.post(
        url,
        {
            "action": "preview",
            "name": "测评体系",
            "edition": "2023年版",
            "level": "prefecture",
            "campaign": world.campaign.pk,
            "file": SimpleUploadedFile("s.xlsx", _file()),
        },
    )
    assert preview.status_code == 200 and preview.context["table"].ok
    assert not EvaluationSystem.objects.exists()
    committed = client.post(url, {"action": "commit", "token": preview.context["token"]})
    system = EvaluationSystem.objects.get()
    assert committed.status_code == 302 and system.edition == "2023年版"
    tree = client.get(reverse("indicators:tree"), {"system": system.pk}).content.decode()
    assert "建成区绿化覆盖率" in tree and "&gt;35%" in tree


def test_a_system_scores_grades_with_its_own_percentages(world):
    system = EvaluationSystem.objects.create(name="x", grade_b_pct=70)
    assert system.score_for("A", 4) == Decimal("4.00")
    assert system.score_for("B", 4) == Decimal("2.80")
    assert system.score_for("C#", 4) == Decimal("0.00")


def test_a_grade_band_tells_whether_a_measurement_meets_it(world):
    _import(world)
    band = GradeBand.objects.get(indicator__code="Ⅲ-70", grade="A")
    assert band.matches(36) and not band.matches(35)


def test_the_api_lists_indicators_of_a_system_by_level_and_method(world):
    _result, system = _import(world)
    client = world.client("liaison_a")
    body = client.get(
        f"/api/indicators/systems/{system.pk}/indicators", {"level": 3, "method": "department"}
    ).json()
    assert [i["code"] for i in body["items"]] == ["Ⅲ-70", "Ⅲ-74"]
    assert body["items"][0]["grade_bands"][0]["expression"] == ">35%"
    detail = client.get(f"/api/indicators/systems/{system.pk}").json()
    assert {n["name"] for n in detail["negative_items"]} == {"弄虚作假", "突击迎检"}


def test_a_system_without_a_campaign_is_visible_to_the_office_only(world):
    system = EvaluationSystem.objects.create(name="草稿")
    assert world.client("office").get(f"/api/indicators/systems/{system.pk}").status_code == 200
    assert world.client("liaison_a").get(f"/api/indicators/systems/{system.pk}").status_code == 404
