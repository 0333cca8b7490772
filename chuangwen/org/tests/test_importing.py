"""The Excel import of units and people (org.importing)."""

from __future__ import annotations

import pytest
from django.utils import translation

from chuangwen.audit.models import AuditEntry
from chuangwen.org.importing import import_units, refresh_statistics
from chuangwen.org.models import Person, Unit, UnitAlias, UnitKind
from chuangwen.org.tests.workbooks import PEOPLE_HEADER, UNIT_HEADER, roster, sample_roster, unit_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, whatever the catalogue translates them to."""
    with translation.override("en"):
        yield


CITY_ROSTER = [
    # Children before their parents, as in real files sorted by name.
    unit_row("Y1-1", "桃源社区", "社区", "Y1", aliases="桃源居委会；桃社区"),
    unit_row("Y1", "桃源街道", "街道", "云西区", short="桃源", contact="陈主任", phone="0571-88886666"),
    unit_row("YX", "云西区", "区/县", "YC"),
    unit_row("YC", "云城市", "市", ""),
    unit_row("YX-J", "云西区教育局", "部门/局", "YX", short="区教育局"),
    unit_row("YX-J-1", "基础教育科", "科室", "区教育局"),
    unit_row("Y1-C", "桃源村", "村", "桃源街道"),
]
CITY_PEOPLE = [
    ["李桃", "13811112222", "书记", "桃源社区"],
    ["王源", "138 1111 3333", "网格员", "桃社区"],  # by alias, phone with spaces
    ["赵教", "", "科长", "YX-J-1"],  # by code, no phone
    ["钱村", "13811114444", "主任", "桃源"],  # by short name
]


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def problems(result) -> list[tuple[str, int | None, str]]:
    return [(p.sheet, p.row, p.column) for p in result.errors]


def test_it_imports_a_tree_of_units_and_their_people_with_correct_paths():
    result = import_units(roster(CITY_ROSTER, CITY_PEOPLE), commit=True)

    assert result.ok, [str(p) for p in result.errors]
    assert result.committed
    assert result.units.as_dict() == {"new": 7, "updated": 0, "unchanged": 0}
    assert result.people.as_dict() == {"new": 4, "updated": 0, "unchanged": 0}
    city, district, street, community = unit("YC"), unit("YX"), unit("Y1"), unit("Y1-1")
    assert city.parent is None and city.path == f"/{city.pk}/" and city.depth == 0
    assert street.parent == district and district.parent == city
    assert community.path == f"/{city.pk}/{district.pk}/{street.pk}/{community.pk}/"
    assert community.depth == 3
    assert unit("YX-J-1").parent == unit("YX-J")
    assert {u.code for u in Unit.objects.under(district)} == {"YX", "Y1", "Y1-1", "Y1-C", "YX-J", "YX-J-1"}
    assert {u.code for u in Unit.objects.under(street)} == {"Y1", "Y1-1", "Y1-C"}
    assert street.kind == UnitKind.STREET and unit("YX-J").kind == UnitKind.DEPARTMENT
    assert unit("YX-J-1").kind == UnitKind.SECTION and unit("Y1-C").kind == UnitKind.VILLAGE
    assert street.short_name == "桃源" and street.contact_phone == "0571-88886666"
    assert Unit.objects.find_by_name("桃源") == street  # name keys were filled by the bulk write
    people = {p.name: p for p in Person.objects.select_related("unit")}
    assert people["李桃"].unit == community
    assert people["王源"].unit == community and people["王源"].phone == "13811113333"
    assert people["赵教"].unit.code == "YX-J-1" and people["赵教"].phone == ""
    assert people["钱村"].unit == street


def test_it_finds_the_header_below_title_rows_and_skips_blank_rows():
    data = xlsx(
        {
            "Sheet1": [
                ["云城市单位名册（2026年）"],
                ["填报单位：创建办", None, None, "日期：2026年3月"],
                [],
                UNIT_HEADER,
                unit_row("YC", "云城市", "市"),
                [],
                unit_row("YX", "云西区", "区", "YC"),
            ]
        }
    )
    result = import_units(data)

    assert result.ok
    assert result.unit_sheets == ["Sheet1"]
    assert [(r["row"], r["code"]) for r in result.preview_units] == [(5, "YC"), (7, "YX")]


def test_it_records_the_aliases_of_a_unit_and_resolves_them_later():
    import_units(roster(CITY_ROSTER), commit=True)

    community = unit("Y1-1")
    assert set(UnitAlias.objects.filter(unit=community).values_list("alias", flat=True)) == {
        "桃源居委会",
        "桃社区",
    }
    assert Unit.objects.find_by_name("桃源居委会") == community

    # A second file names the community only by an alias recorded by the first.
    result = import_units(roster(people=[["孙桃", "13822223333", "网格员", "桃源居委会"]]), commit=True)
    assert result.ok
    assert Person.objects.get(name="孙桃").unit == community


def test_it_splits_aliases_on_every_separator_offices_use():
    rows = [unit_row("YC", "云城市", "市", aliases="云城、云城市政府，市政府;市府/云市\n云城")]
    result = import_units(roster(rows), commit=True)

    assert result.aliases_new == 5
    assert set(UnitAlias.objects.values_list("alias", flat=True)) == {
        "云城",
        "云城市政府",
        "市政府",
        "市府",
        "云市",
    }


def test_it_reports_an_unknown_parent_with_sheet_row_and_column():
    rows = [unit_row("YC", "云城市", "市"), unit_row("YX", "云西区", "区", "云东区")]
    result = import_units(roster(rows))

    assert problems(result) == [("单位", 5, "F")]
    assert result.units.new == 1 and [u["code"] for u in result.preview_units] == ["YC"]
    assert "云东区" in result.errors[0].message
    assert "云西区" in result.errors[0].message  # the closest known name is suggested
    assert str(result.errors[0]).startswith("sheet “单位”, row 5, column F: ")


def test_it_reports_a_code_that_appears_twice_in_the_file():
    rows = [
        unit_row("YC", "云城市", "市"),
        unit_row("YX", "云西区", "区", "YC"),
        unit_row("YX", "云东区", "区", "YC"),
    ]
    result = import_units(roster(rows))

    assert problems(result) == [("单位", 6, "B")]
    assert "YX" in result.errors[0].message and "row 5" in result.errors[0].message


def test_it_reports_a_bad_phone_of_a_unit_and_of_a_person():
    rows = [unit_row("YC", "云城市", "市", phone="110abc")]
    people = [["李桃", "1381111222", "书记", "YC"]]
    result = import_units(roster(rows, people))

    assert problems(result) == [("单位", 4, "I"), ("人员", 3, "B")]


def test_it_reports_an_unknown_kind_and_a_missing_name():
    rows = [unit_row("YC", "云城市", "星球"), unit_row("YX", "", "区", "YC")]
    result = import_units(roster(rows))

    assert problems(result) == [("单位", 4, "E"), ("单位", 5, "C")]


def test_it_suggests_the_closest_known_names_for_an_unknown_unit_of_a_person(world):
    people = [["李桃", "13811112222", "书记", "松林一社"]]
    result = import_units(roster(people=people))

    assert problems(result) == [("人员", 3, "D")]
    assert "松林一社区" in result.errors[0].message


def test_it_resolves_parents_and_people_against_units_already_recorded(world):
    rows = [unit_row("S-A-9", "松林九社区", "社区", "松林街道")]
    people = [["周九", "13900000009", "书记", "松林九社区"], ["林二", "", "干事", "商务局"]]
    result = import_units(roster(rows, people), commit=True)

    assert result.ok, [str(p) for p in result.errors]
    new = unit("S-A-9")
    assert new.parent == world.street_a
    assert new.path == f"{world.street_a.path}{new.pk}/"
    assert Person.objects.get(name="林二").unit == world.department


def test_it_asks_for_the_code_when_a_name_is_ambiguous():
    rows = [
        unit_row("YC", "云城市", "市"),
        unit_row("A", "甲街道", "街道", "YC"),
        unit_row("B", "乙街道", "街道", "YC"),
        unit_row("A-1", "第一社区", "社区", "A"),
        unit_row("B-1", "第一社区", "社区", "B"),
    ]
    result = import_units(roster(rows, [["李一", "", "书记", "第一社区"], ["王一", "", "书记", "B-1"]]))

    assert problems(result) == [("人员", 3, "D")]
    assert "A-1" in result.errors[0].message and "B-1" in result.errors[0].message


def test_it_refuses_an_alias_that_already_names_another_unit(world):
    rows = [unit_row("S-A-9", "松林九社区", "社区", "S-A", aliases="商务局")]
    result = import_units(roster(rows))

    assert problems(result) == [("单位", 4, "G")]


def test_it_refuses_parents_that_form_a_loop():
    rows = [unit_row("A", "甲", "其他", "B"), unit_row("B", "乙", "其他", "A")]
    result = import_units(roster(rows), commit=True)

    assert problems(result) == [("单位", 4, "F"), ("单位", 5, "F")]
    assert not Unit.objects.exists()


def test_it_refuses_a_password_protected_file():
    # Excel stores an encrypted .xlsx in an OLE2 compound file.
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
    result = import_units(fake, commit=True)

    assert not result.ok and result.file_error
    assert "password" in result.file_error
    assert not Unit.objects.exists()


def test_it_refuses_an_empty_file():
    result = import_units(b"", commit=True)

    assert result.file_error and "empty" in result.file_error


def test_it_refuses_a_file_that_is_not_excel():
    result = import_units("单位编码,单位名称\nYC,云城市\n".encode(), commit=True)

    assert "not an Excel file" in result.file_error
    assert not Unit.objects.exists()


def test_it_refuses_a_file_over_the_size_limit():
    result = import_units(sample_roster(), commit=True, max_bytes=1024)

    assert "too large" in result.file_error
    assert not Unit.objects.exists()


def test_it_says_so_when_no_sheet_has_a_known_header():
    result = import_units(xlsx({"Sheet1": [["日期", "事项"], ["3月1日", "开会"]]}))

    assert len(result.errors) == 1 and result.errors[0].row is None
    assert result.warnings and result.warnings[0].sheet == "Sheet1"


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    data = roster(CITY_ROSTER, CITY_PEOPLE)
    import_units(data, commit=True)
    paths = dict(Unit.objects.values_list("code", "path"))

    again = import_units(data, commit=True)

    assert again.ok and again.committed
    assert again.units.as_dict() == {"new": 0, "updated": 0, "unchanged": 7}
    assert again.people.as_dict() == {"new": 0, "updated": 0, "unchanged": 4}
    assert again.aliases_new == 0
    assert Unit.objects.count() == 7 and Person.objects.count() == 4 and UnitAlias.objects.count() == 2
    assert dict(Unit.objects.values_list("code", "path")) == paths


def test_a_changed_file_updates_units_and_people_in_place():
    import_units(roster(CITY_ROSTER, CITY_PEOPLE), commit=True)
    changed = [unit_row("Y1", "桃源街道办事处", "街道", "YX", short="桃源", phone="0571-88887777")]
    people = [["李桃", "13811112222", "副书记", "Y1-1"]]

    result = import_units(roster(changed, people), commit=True)

    assert result.units.as_dict() == {"new": 0, "updated": 1, "unchanged": 0}
    assert result.people.as_dict() == {"new": 0, "updated": 1, "unchanged": 0}
    street = unit("Y1")
    assert street.name == "桃源街道办事处" and street.contact_phone == "0571-88887777"
    assert street.contact_person == ""  # the column is in the sheet, so a blank cell clears it
    assert Person.objects.get(name="李桃").position == "副书记"
    assert Person.objects.count() == 4


def test_a_column_left_out_of_the_sheet_keeps_what_is_recorded():
    import_units(roster(CITY_ROSTER), commit=True)
    data = xlsx({"单位": [["单位编码", "单位名称"], ["Y1", "桃源街道"]]})

    result = import_units(data, commit=True)

    assert result.units.as_dict() == {"new": 0, "updated": 0, "unchanged": 1}
    street = unit("Y1")
    assert street.contact_person == "陈主任" and street.short_name == "桃源" and street.parent == unit("YX")


def test_moving_a_unit_carries_its_whole_subtree_including_units_not_in_the_file(world):
    # Street A (with community A below it) moves under the department, by a one-row file.
    result = import_units(roster([unit_row("S-A", "松林街道", "街道", "D1-SW")]), commit=True)

    assert result.units.updated == 1
    street = unit("S-A")
    community = unit("S-A-1")
    assert street.parent == world.department
    assert (
        street.path == f"{world.department.path}{street.pk}/" and street.depth == world.department.depth + 1
    )
    assert community.path == f"{street.path}{community.pk}/" and community.depth == street.depth + 1
    assert set(Unit.objects.under(world.department)) >= {street, community}


def test_a_unit_moved_under_a_unit_new_in_the_same_file_is_reported_as_updated():
    # A district imported first on its own, then again below the city it belongs to.
    import_units(
        roster([unit_row("YX", "云西区", "区/县"), unit_row("Y1", "桃源街道", "街道", "YX")]), commit=True
    )

    again = roster(
        [
            unit_row("YC", "云城市", "市"),
            unit_row("YX", "云西区", "区/县", "YC"),
            unit_row("Y1", "桃源街道", "街道", "YX"),
        ]
    )
    dry = import_units(again)
    assert (dry.units.new, dry.units.updated, dry.units.unchanged) == (1, 1, 1)
    assert [row["action"] for row in dry.preview_units] == ["new", "updated", "unchanged"]
    result = import_units(again, commit=True)

    assert (result.units.new, result.units.updated) == (1, 1)
    assert unit("YX").parent == unit("YC")
    assert unit("Y1").path == f"{unit('YC').path}{unit('YX').pk}/{unit('Y1').pk}/"


def test_an_error_in_the_people_sheet_means_no_unit_is_written_either():
    people = [["李桃", "13811112222", "书记", "桃源社区"], ["", "13811113333", "网格员", "桃源社区"]]
    result = import_units(roster(CITY_ROSTER, people), commit=True)

    assert problems(result) == [("人员", 4, "A")]
    assert not result.committed
    assert not Unit.objects.exists() and not Person.objects.exists() and not UnitAlias.objects.exists()
    assert not AuditEntry.objects.filter(action="org.import").exists()


def test_a_dry_run_counts_what_it_would_do_and_writes_nothing():
    result = import_units(roster(CITY_ROSTER, CITY_PEOPLE))

    assert result.ok and not result.committed
    assert result.units.new == 7 and result.people.new == 4
    assert result.preview_units[0]["code"] == "Y1-1" and result.preview_units[0]["parent"] == "桃源街道"
    assert not Unit.objects.exists()


def test_a_committed_import_writes_one_audit_entry_with_its_counts():
    import_units(roster(CITY_ROSTER, CITY_PEOPLE), commit=True, filename="名册.xlsx", actor="cli")

    entries = list(AuditEntry.objects.filter(action="org.import"))
    assert len(entries) == 1
    assert entries[0].changes["units"]["new"] == 7 and entries[0].changes["people"]["new"] == 4
    assert entries[0].object_repr == "名册.xlsx"


def test_the_same_person_twice_in_the_file_is_imported_once_with_a_note():
    people = [["李桃", "13811112222", "书记", "YC"], ["李桃", "13811112222", "书记", "云城市"]]
    result = import_units(roster([unit_row("YC", "云城市", "市")], people), commit=True)

    assert result.ok and result.people.new == 1
    assert [w.row for w in result.warnings] == [4]
    assert Person.objects.count() == 1


def test_the_sheets_are_recognised_by_header_whatever_their_order_and_names():
    data = xlsx(
        {
            "名单": [PEOPLE_HEADER, ["李桃", "", "书记", "YC"]],
            "机构": [UNIT_HEADER, unit_row("YC", "云城市", "市")],
        }
    )
    result = import_units(data, commit=True)

    assert result.ok and result.people_sheets == ["名单"] and result.unit_sheets == ["机构"]
    assert Person.objects.get().unit.code == "YC"


def test_a_large_import_refreshes_the_planner_statistics_once_committed(django_capture_on_commit_callbacks):
    people = [[f"志愿者{i}", f"139{i:08d}", "志愿者", "YC"] for i in range(600)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = import_units(roster([unit_row("YC", "云城市", "市")], people), commit=True)

    assert result.people.new == 600
    assert refresh_statistics in callbacks


def test_a_small_import_leaves_the_planner_statistics_alone(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        import_units(roster(CITY_ROSTER, CITY_PEOPLE), commit=True)

    assert refresh_statistics not in callbacks
