"""Issue 21: the unit choice is a tree searchable by name or pinyin initials ("lw" → 鹭湾街道)."""

from __future__ import annotations

import pytest
from django import forms

from chuangwen.org.models import Unit, UnitKind
from chuangwen.org.pinyin import initials, spelled
from chuangwen.org.widgets import UnitTreeSelect

pytestmark = pytest.mark.django_db


def test_initials_and_pinyin_of_a_unit_name():
    assert initials("鹭湾街道") == "lwjd"
    assert spelled("鹭湾街道") == "luwanjiedao"
    assert initials("G60科创走廊") == "g60kczl"


def test_the_picker_indents_by_level_and_carries_the_search_keys(world):
    Unit.objects.create(name="鹭湾街道", code="S-LW", kind=UnitKind.STREET, parent=world.district)

    class Pick(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("path"), widget=UnitTreeSelect())

    html = str(Pick()["unit"])
    assert "data-cw-search" in html
    assert 'data-search="鹭湾街道 lwjd luwanjiedao"' in html
    assert "\u3000\u3000松林一社区" in html, "a community sits two levels under the district"


def test_the_problem_dispatch_form_uses_the_searchable_tree(world):
    from chuangwen.problems.forms import BulkDispatchForm, DispatchForm

    assert isinstance(DispatchForm().fields["unit"].widget, UnitTreeSelect)
    assert isinstance(BulkDispatchForm().fields["unit"].widget, UnitTreeSelect)
