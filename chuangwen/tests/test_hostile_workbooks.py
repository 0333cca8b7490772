"""The unit and task import pages, given the workbooks of issue 23's attacker: a 1 MB .xlsx
holding a 1 GiB shared string, and a 1.5 KB one with cells in A1 and XFD1048576 (which made
calamine abort the web worker). Each is refused on the page, in Chinese, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chuangwen.core.tests.test_archives import gigabyte_shared_string, small_xlsx, with_part
from chuangwen.core.tests.test_excel import _corner_xlsx
from chuangwen.org.models import Unit
from chuangwen.tasks.models import Task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return with_part(small_xlsx(), "xl/sharedStrings.xml", gigabyte_shared_string())


def _post(world, page: str, data: bytes):
    client = world.client("office")
    client.cookies["django_language"] = "zh-hans"
    upload = SimpleUploadedFile("名单.xlsx", data, XLSX)
    if page == "org":
        return client.post(reverse("org:import"), {"file": upload})
    return client.post(
        reverse("tasks:import"), {"action": "preview", "file": upload, "campaign": world.campaign.pk}
    )


@pytest.mark.parametrize("page", ["org", "tasks"])
def test_a_zip_bomb_is_refused_on_the_import_page_in_chinese(world, bomb, page):
    units, tasks = Unit.objects.count(), Task.objects.count()
    response = _post(world, page, bomb)
    assert response.status_code == 200
    assert "文件解压后超过 256 MB" in response.content.decode()
    assert (Unit.objects.count(), Task.objects.count()) == (units, tasks)


@pytest.mark.parametrize("page", ["org", "tasks"])
def test_a_workbook_with_a_cell_in_the_far_corner_is_refused_on_the_import_page(world, page):
    units, tasks = Unit.objects.count(), Task.objects.count()
    response = _post(world, page, _corner_xlsx())
    assert response.status_code == 200
    assert "过大" in response.content.decode()
    assert (Unit.objects.count(), Task.objects.count()) == (units, tasks)
