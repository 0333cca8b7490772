import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chuangwen.core.excel import SpreadsheetError
from chuangwen.indicators.models import Indicator, Method
from chuangwen.org.models import Person, Unit, UnitAlias
from chuangwen.tasks import services
from chuangwen.tasks.export import write_task_table
from chuangwen.tasks.importing import read_task_table
from chuangwen.tasks.models import AssignmentRole, Cadence, Task, TaskAssignment, TaskMilestone
from chuangwen.tasks.tests.fixtures import system_of
from chuangwen.tasks.tests.sheets import HEADER, TITLE, office_table, xlsx


def _table_bytes():
    rows, merges = office_table()
    return xlsx(rows, merges)


def _roles(task):
    return {(a.unit.name, a.role) for a in task.assignments.select_related("unit")}


def test_it_reads_an_office_table_with_title_rows_two_row_header_and_merged_cells(world):
    table = read_task_table(_table_bytes(), world.campaign)
    assert table.ok, table.errors
    assert table.rows_read == 4  # the subtotal and blank rows are skipped
    assert len(table.tasks) == 5  # "材料审核、实地考察" gives one task per method
    assert table.method_counts() == {"field": 2, "materials": 2, "survey": 1}
    first = table.tasks[0]
    assert first.row == 5
    assert first.indicator.code == "Ⅲ-17"
    assert first.indicator.parent.code == "Ⅱ-8" and first.indicator.parent.parent.code == "Ⅰ-3"
    assert {(u.unit.name, u.role) for u in first.units} == {
        ("青石区创建办", AssignmentRole.LEAD),  # written as the short name 创建办
        ("松林街道", AssignmentRole.RESPONSIBLE),
        ("柳岸街道", AssignmentRole.RESPONSIBLE),
        ("青石区商务局", AssignmentRole.COOPERATING),  # written as 商务局
    }
    assert first.schedule.cadence == Cadence.MONTHLY
    assert [m.month for m in first.milestones] == [dt.date(world.campaign.year, m, 1) for m in (4, 5, 6)]
    assert first.material_requirement == "①每季度一场活动；②提供2张图片"  # full-width kept as written


def test_it_carries_merged_indicator_cells_down_and_expands_unit_groups(world):
    table = read_task_table(_table_bytes(), world.campaign, today=dt.date(world.campaign.year, 3, 1))
    second = table.tasks[2]
    assert second.indicator.code == "Ⅲ-16" and second.indicator.parent.code == "Ⅱ-8"
    assert {u.unit.name for u in second.units} == {"松林街道", "柳岸街道"}  # split on a line break
    assert second.schedule.deadline == dt.date(2026, 6, 30)
    street_task = table.tasks[3]
    assert {u.unit.name for u in street_task.units if u.role == AssignmentRole.RESPONSIBLE} == {
        "松林街道",
        "柳岸街道",
    }
    assert street_task.schedule.deadline == dt.date(world.campaign.year, 6, 30)
    last = table.tasks[4]
    assert last.schedule.cadence == Cadence.NAMED_DATES
    assert [(u.unit.name, u.note) for u in last.units] == [("柳岸街道", "配合市容科")]


def test_a_dry_run_writes_nothing(world):
    read_task_table(_table_bytes(), world.campaign)
    assert not Task.objects.exists()
    assert not Indicator.objects.exists()


def test_committing_writes_tasks_assignments_milestones_and_one_audit_entry(world):
    from chuangwen.audit.labels import action_label
    from chuangwen.audit.models import AuditEntry

    result = services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    assert (result.created, result.updated, result.indicators_created) == (5, 0, 8)
    task = Task.objects.get(source_row=5, method=Method.MATERIALS)
    assert ("青石区创建办", AssignmentRole.LEAD) in _roles(task)
    assert list(task.milestones.values_list("label", flat=True)) == ["4月", "5月", "6月"]
    assert task.campaign == world.campaign and task.indicator.system.campaign == world.campaign
    entry = AuditEntry.objects.get(action="tasks.import")
    assert entry.changes["created"] == 5 and entry.object_id == str(world.campaign.pk)
    page = world.client("office").get(f"/tasks/{task.pk}/").content.decode()
    # The task's history starts with the import that created it, named in words, not by its code.
    assert action_label("tasks.import") in page and "tasks.import" not in page


def test_importing_the_same_file_twice_updates_and_never_duplicates(world):
    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    again = services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Task.objects.count() == 5
    assert TaskAssignment.objects.count() == 4 + 4 + 2 + 3 + 1
    assert TaskMilestone.objects.count() == 6
    assert Indicator.objects.count() == 8


def test_a_changed_row_updates_its_task_and_its_units_and_records_the_change(world):
    from chuangwen.audit.models import AuditEntry

    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    rows, merges = office_table()
    rows[5][6] = "松林街道"  # row 6: 柳岸街道 no longer responsible
    rows[5][10] = "2026年7月31日"
    result = services.import_tasks(read_task_table(xlsx(rows, merges), world.campaign), world.office)
    assert (result.created, result.updated) == (0, 1)
    task = Task.objects.get(indicator__code="Ⅲ-16")
    entry = AuditEntry.objects.get(action="tasks.task.import_update")
    assert entry.object_id == str(task.pk) and "deadline" in entry.changes and "units" in entry.changes
    assert task.deadline == dt.date(2026, 7, 31)
    assert _roles(task) == {("松林街道", AssignmentRole.RESPONSIBLE)}


def test_it_matches_rows_to_an_imported_evaluation_system_by_code_and_by_text(world):
    system_of(world)  # Ⅰ-3 › Ⅱ-8 › Ⅲ-17 "志愿服务活动" with its standard text
    rows = [
        HEADER,
        [
            1,
            "培育文明道德风尚",
            "志愿服务制度化",
            "Ⅲ-17 志愿服务活动",
            "材料审核",
            "",
            "松林街道",
            "",
            "",
            "",
            "每月",
            "",
            "",
        ],
        [
            2,
            "培育文明道德风尚",
            "志愿服务制度化",
            "参与活动的注册志愿者≥70%",
            "实地考察",
            "",
            "松林街道",
            "",
            "",
            "",
            "每月",
            "",
            "",
        ],
    ]
    table = read_task_table(xlsx(rows), world.campaign)
    assert table.ok, table.errors
    assert {t.indicator.existing for t in table.tasks} == {world.indicator}
    assert table.new_indicators == {}


def test_it_attaches_a_task_to_a_level_2_indicator_when_the_table_is_coarser(world):
    rows = [
        ["测评项目", "测评内容", "责任单位", "完成时限"],
        ["培育文明道德风尚", "志愿服务制度化", "松林街道", "年底"],
    ]
    table = read_task_table(xlsx(rows), world.campaign)
    assert table.ok, table.errors
    assert table.tasks[0].indicator.level == 2
    assert table.tasks[0].title == "志愿服务制度化"


def test_an_unknown_unit_is_an_error_with_its_row_column_and_the_closest_names(world):
    rows, merges = office_table()
    rows[4][6] = "松林街道办、柳岸街"
    table = read_task_table(xlsx(rows, merges), world.campaign)
    assert not table.ok
    problems = {p.value: p for p in table.errors}
    assert problems["松林街道办"].row == 5 and problems["松林街道办"].column == "G"
    assert "松林街道" in problems["松林街道办"].suggestions
    assert "柳岸街道" in problems["柳岸街"].suggestions
    assert [p.value for p in table.unknown_units()] == ["松林街道办", "柳岸街"]
    with pytest.raises(Exception):  # noqa: B017 - DomainError: nothing is written
        services.import_tasks(table, world.office)
    assert not Task.objects.exists()


def _outside_row_table():
    Unit.objects.create(name="外区街道", code="X-1")
    rows = [
        HEADER,
        [1, "培育文明道德风尚", "志愿服务制度化", "活动", "", "", "外区街道", "", "", "", "年底", "", ""],
    ]
    return xlsx(rows)


def test_a_unit_outside_the_campaign_territory_is_named_as_such_with_the_fix(world):
    table = read_task_table(_outside_row_table(), world.campaign)
    [problem] = table.errors
    assert problem.value == "外区街道" and problem.code == "outside_territory"
    root = world.campaign.root_unit.name
    assert f"is not within this campaign's territory ({root})" in problem.message
    assert f"Move the unit below {root} in the unit tree" in problem.message
    assert problem.suggestions == [], "no look-alike unit is offered in its place"
    assert table.unknown_units() == [], "nor an alias to map it to another unit"


def test_the_outside_territory_message_is_in_chinese_in_the_interface(world, chinese):
    [problem] = read_task_table(_outside_row_table(), world.campaign).errors
    assert "不在本周期的创建范围内" in problem.message


def test_mapping_an_unknown_name_once_keeps_an_alias_for_every_later_import(world):
    rows, merges = office_table()
    rows[4][6] = "松林办"
    data = xlsx(rows, merges)
    assert not read_task_table(data, world.campaign).ok
    services.map_alias("松林办", world.street_a, world.office)
    assert UnitAlias.objects.get(alias="松林办").unit == world.street_a
    assert read_task_table(data, world.campaign).ok


def test_a_row_with_no_indicator_is_an_error_and_nothing_is_written(world):
    rows = [HEADER, [1, "", "", "", "材料审核", "", "松林街道", "", "", "", "年底", "", ""]]
    table = read_task_table(xlsx(rows), world.campaign)
    assert [(p.row, p.column) for p in table.errors] == [(2, "C")]
    assert "no indicator" in table.errors[0].message


def test_an_unknown_method_is_an_error_and_an_unreadable_deadline_a_warning_keeping_the_text(world):
    rows = [HEADER, [1, "项目", "内容", "标准", "飞行检查", "", "松林街道", "", "", "", "按上级通知", "", ""]]
    table = read_task_table(xlsx(rows), world.campaign)
    assert {(p.column, p.value) for p in table.errors} == {("E", "飞行检查")}
    assert [(p.column, p.value) for p in table.warnings] == [("K", "按上级通知")]
    [task] = table.tasks
    assert task.schedule.deadline is None and task.schedule.text == "按上级通知"


def test_an_unreadable_deadline_does_not_block_the_table_and_the_office_sets_it_later(world):
    rows = [HEADER, [1, "项目", "内容", "标准", "材料审核", "", "松林街道", "", "", "", "视情况", "", ""]]
    table = read_task_table(xlsx(rows), world.campaign)
    assert table.ok
    services.import_tasks(table, world.office)
    task = Task.objects.get()
    assert (task.deadline, task.deadline_text) == (None, "视情况")


def test_a_month_without_a_year_imported_in_december_is_next_january_and_the_preview_says_so(world):
    rows = [HEADER, [1, "项目", "内容", "标准", "材料审核", "", "松林街道", "", "", "", "1月底", "", ""]]
    year = world.campaign.year
    table = read_task_table(xlsx(rows), world.campaign, today=dt.date(year, 12, 10))
    assert table.tasks[0].schedule.deadline == dt.date(year + 1, 1, 31)
    [note] = table.warnings
    assert note.column == "K" and f"{year + 1}-01-31" in note.message


def test_a_sheet_without_a_recognisable_header_is_refused_clearly(world):
    table = read_task_table(xlsx([["姓名", "电话"], ["张三", "13800000000"]]), world.campaign)
    assert not table.ok
    assert "No header row" in table.errors[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,unit\n", "not an Excel file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password"),
    ],
)
def test_files_that_are_not_readable_spreadsheets_are_refused_with_a_clear_message(world, data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_task_table(data, world.campaign)


def test_an_empty_workbook_is_refused(world):
    with pytest.raises(SpreadsheetError, match="no data"):
        read_task_table(xlsx([]), world.campaign)


def test_responsible_people_are_linked_to_people_of_the_tasks_units(world):
    Person.objects.create(name="林小松", unit=world.department)  # a namesake outside the units is not them
    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    task = Task.objects.get(indicator__code="Ⅲ-16")
    assert set(task.people.all()) == {world.person_a, world.person_b}


def test_export_then_import_keeps_every_task_as_it_was(world):
    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    before = {
        t.source_key: (t.title, t.method, t.deadline, t.cadence, t.material_requirement, frozenset(_roles(t)))
        for t in Task.objects.all()
    }
    exported = write_task_table(Task.objects.all(), TITLE)
    again = services.import_tasks(read_task_table(exported, world.campaign), world.office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    after = {
        t.source_key: (t.title, t.method, t.deadline, t.cadence, t.material_requirement, frozenset(_roles(t)))
        for t in Task.objects.all()
    }
    assert after == before


def test_an_exported_table_imports_into_another_campaign_with_the_same_content(world):
    from chuangwen.campaigns.models import Campaign

    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    exported = write_task_table(Task.objects.filter(campaign=world.campaign), TITLE)
    other = Campaign.objects.create(name="下一年度", year=world.campaign.year + 1, root_unit=world.district)
    services.import_tasks(read_task_table(exported, other), world.office)
    first = sorted(
        (t.title, t.method, frozenset(_roles(t))) for t in Task.objects.filter(campaign=world.campaign)
    )
    second = sorted((t.title, t.method, frozenset(_roles(t))) for t in Task.objects.filter(campaign=other))
    assert first == second


def test_the_command_prints_a_preview_and_commits_only_when_asked(world, tmp_path, capsys):
    path = tmp_path / "tasks.xlsx"
    path.write_bytes(_table_bytes())
    call_command("import_tasks", str(path))
    out = capsys.readouterr().out
    assert "rows read: 4" in out and "dry run" in out
    assert not Task.objects.exists()
    call_command("import_tasks", str(path), "--commit", "--campaign", str(world.campaign.pk))
    assert Task.objects.count() == 5


def test_the_command_prints_json_and_exits_with_an_error_when_the_table_has_errors(world, tmp_path, capsys):
    rows, merges = office_table()
    rows[4][6] = "松林街道办"
    path = tmp_path / "tasks.xlsx"
    path.write_bytes(xlsx(rows, merges))
    with pytest.raises(CommandError):
        call_command("import_tasks", str(path), "--json", "--commit")
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows_read"] == 4 and summary["committed"] is False
    assert summary["methods"] == {"field": 2, "materials": 2, "survey": 1}
    assert summary["errors"][0]["column"] == "G" and "松林街道" in summary["errors"][0]["suggestions"]
    assert not Task.objects.exists()


def test_the_command_refuses_a_file_that_is_not_a_spreadsheet(world, tmp_path):
    path = tmp_path / "tasks.xlsx"
    path.write_text("序号,测评项目\n")
    with pytest.raises(CommandError, match="not an Excel file"):
        call_command("import_tasks", str(path))


def test_the_command_without_a_campaign_says_so_in_the_interface_language(db, tmp_path, chinese):
    path = tmp_path / "tasks.xlsx"
    path.write_bytes(_table_bytes())
    with pytest.raises(CommandError, match="还没有创建周期") as exc:
        call_command("import_tasks", str(path))
    assert "chuangwen setup" in str(exc.value)


def test_the_command_prints_its_preview_in_the_interface_language(world, tmp_path, capsys, chinese):
    path = tmp_path / "tasks.xlsx"
    path.write_bytes(_table_bytes())
    call_command("import_tasks", str(path))
    out = capsys.readouterr().out
    assert "读取行数：4" in out and "试运行：未写入任何内容" in out


def test_a_reworded_row_updates_its_task_and_the_preview_shows_the_change(world):
    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    rows, merges = office_table()
    rows[5][3] = "Ⅲ-16 注册志愿者占建成区常住人口比例达到10%以上"  # the wording was edited
    table = read_task_table(xlsx(rows, merges), world.campaign)
    edited = next(t for t in table.tasks if t.indicator.code == "Ⅲ-16")
    assert edited.status == "changed"
    assert any(what == "Task" and "达到10%以上" in after for what, _before, after in edited.changes)
    assert table.status_counts() == {"new": 0, "changed": 1, "same": 4}
    result = services.import_tasks(table, world.office)
    assert (result.created, result.updated) == (0, 1)
    assert Task.objects.count() == 5
    assert "达到10%以上" in Task.objects.get(indicator__code="Ⅲ-16").title


def test_a_row_with_a_new_indicator_is_new_and_the_preview_says_which_indicator_it_joins(world):
    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    rows, merges = office_table()
    rows[5][3] = "Ⅲ-99 新增的测评标准"
    table = read_task_table(xlsx(rows, merges), world.campaign)
    added = next(t for t in table.tasks if t.indicator.code == "Ⅲ-99")
    assert added.status == "new" and added.indicator.existing is None


def test_the_preview_page_shows_indicator_change_and_ongoing_deadline(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.import_tasks(read_task_table(_table_bytes(), world.campaign), world.office)
    rows, merges = office_table()
    rows[5][3] = "Ⅲ-16 注册志愿者占建成区常住人口比例达到10%以上"
    upload = SimpleUploadedFile("t.xlsx", xlsx(rows, merges))
    page = world.client("office").post(
        "/tasks/import/", {"action": "preview", "campaign": world.campaign.pk, "file": upload}
    )
    html = page.content.decode()
    assert 'data-status="changed"' in html and "Ⅲ-16" in html and "<ins>" in html
    assert html.count('data-status="same"') == 4


def test_a_group_column_written_once_without_merged_cells_is_filled_down_with_a_warning(world):
    rows = [
        HEADER,
        [
            1,
            "Ⅰ-3 培育文明道德风尚",
            "Ⅱ-8 志愿服务",
            "Ⅲ-17 活动",
            "材料审核",
            "创建办",
            "松林街道",
            "",
            "王区长",
            "",
            "年底",
            "",
            "",
        ],
        [2, "", "", "Ⅲ-16 比例", "", "", "柳岸街道", "", "", "", "年底", "", ""],
        [3, "", "", "Ⅲ-15 招募", "", "", "松林街道", "", "", "", "年底", "", ""],
    ]
    table = read_task_table(xlsx(rows), world.campaign)
    assert table.ok, table.errors
    assert [t.indicator.parent.code for t in table.tasks] == ["Ⅱ-8"] * 3
    assert [t.method for t in table.tasks] == ["materials"] * 3
    assert all(any(u.role == AssignmentRole.LEAD for u in t.units) for t in table.tasks)
    notes = {w.column: w.message for w in table.warnings}
    assert "3–4" in notes["E"] and "3–4" in notes["F"]
