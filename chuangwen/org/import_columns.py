"""How offices head the columns of a unit roster, and how they write a unit's kind.

Header matching ignores spaces, punctuation and full/half-width differences (see
`core.excel.find_header`), so "上级单位/上级编码" and "上级 编码" need no entries of their own
beyond their letters.
"""

from __future__ import annotations

import re

from chuangwen.core.text import normalize_name
from chuangwen.org.models import UnitKind

UNIT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "单位编码", "代码", "单位代码", "编号", "单位编号", "code"),
    "name": ("单位名称", "名称", "单位全称", "全称", "name"),
    "short_name": ("简称", "单位简称", "short name"),
    "kind": ("类型", "单位类型", "类别", "单位类别", "单位性质", "层级", "kind"),
    "parent": (
        "上级单位",
        "上级编码",
        "上级单位编码",
        "上级单位名称",
        "上级单位上级编码",
        "上级",
        "所属上级",
        "隶属单位",
        "parent",
    ),
    "aliases": ("别名", "其他名称", "又称", "曾用名", "aliases"),
    "contact_person": ("联系人", "联系人姓名", "contact person"),
    "contact_phone": ("联系电话", "联系人电话", "联系方式", "电话", "contact phone"),
    "address": ("地址", "办公地址", "单位地址", "address"),
}
UNIT_REQUIRED = ("code", "name")

PERSON_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "人员姓名", "name"),
    "phone": ("手机", "手机号", "手机号码", "手机电话", "电话", "联系电话", "联系方式", "phone"),
    "position": ("职务", "职位", "岗位", "职务职称", "position"),
    "unit": ("所属单位", "单位", "工作单位", "单位名称", "所在单位", "所属单位编码", "单位编码", "unit"),
}
PERSON_REQUIRED = ("name", "unit")

# Kind labels as offices write them (keys are normalised: "区/县" is "区县").
_KIND_WORDS: dict[str, str] = {
    "市": UnitKind.CITY,
    "地级市": UnitKind.CITY,
    "城市": UnitKind.CITY,
    "区县": UnitKind.DISTRICT,
    "区": UnitKind.DISTRICT,
    "县": UnitKind.DISTRICT,
    "县区": UnitKind.DISTRICT,
    "县级市": UnitKind.DISTRICT,
    "街道": UnitKind.STREET,
    "街道办": UnitKind.STREET,
    "街道办事处": UnitKind.STREET,
    "乡镇": UnitKind.TOWNSHIP,
    "乡": UnitKind.TOWNSHIP,
    "镇": UnitKind.TOWNSHIP,
    "街镇": UnitKind.TOWNSHIP,
    "社区": UnitKind.COMMUNITY,
    "居委会": UnitKind.COMMUNITY,
    "社区居委会": UnitKind.COMMUNITY,
    "村": UnitKind.VILLAGE,
    "行政村": UnitKind.VILLAGE,
    "村委会": UnitKind.VILLAGE,
    "部门局": UnitKind.DEPARTMENT,
    "部门": UnitKind.DEPARTMENT,
    "局": UnitKind.DEPARTMENT,
    "委办局": UnitKind.DEPARTMENT,
    "机关": UnitKind.DEPARTMENT,
    "科室": UnitKind.SECTION,
    "科": UnitKind.SECTION,
    "股室": UnitKind.SECTION,
    "学校": UnitKind.SCHOOL,
    "企事业单位": UnitKind.ENTERPRISE,
    "企事业": UnitKind.ENTERPRISE,
    "企业": UnitKind.ENTERPRISE,
    "事业单位": UnitKind.ENTERPRISE,
    "其他": UnitKind.OTHER,
    "其它": UnitKind.OTHER,
}
# The stored values are accepted too ("street"), for files exported by the platform itself.
for _kind in UnitKind:
    _KIND_WORDS.setdefault(_kind.value, _kind.value)

# When the kind column is blank on a new unit: the name's ending usually says it.
_NAME_ENDINGS = (
    ("街道办事处", UnitKind.STREET),
    ("街道", UnitKind.STREET),
    ("社区", UnitKind.COMMUNITY),
    ("居委会", UnitKind.COMMUNITY),
    ("村委会", UnitKind.VILLAGE),
    ("村", UnitKind.VILLAGE),
    ("镇", UnitKind.TOWNSHIP),
    ("乡", UnitKind.TOWNSHIP),
    ("小学", UnitKind.SCHOOL),
    ("中学", UnitKind.SCHOOL),
    ("学校", UnitKind.SCHOOL),
    ("幼儿园", UnitKind.SCHOOL),
    ("学院", UnitKind.SCHOOL),
    ("局", UnitKind.DEPARTMENT),
    ("委", UnitKind.DEPARTMENT),
    ("科", UnitKind.SECTION),
    ("公司", UnitKind.ENTERPRISE),
    ("区", UnitKind.DISTRICT),
    ("县", UnitKind.DISTRICT),
    ("市", UnitKind.CITY),
)

_ALIAS_SEPARATORS = re.compile(r"[、，,；;/／|\s]+")


def parse_kind(text: str) -> str | None:
    """The UnitKind value for a kind as written, or None when it is not one we know."""
    return _KIND_WORDS.get(normalize_name(text))


def guess_kind(name: str) -> str:
    """A kind from the unit's name ending (青石区 → district), or OTHER."""
    for ending, kind in _NAME_ENDINGS:
        if name.endswith(ending):
            return kind
    return UnitKind.OTHER


def split_aliases(text: str) -> list[str]:
    """Aliases written in one cell, separated by 、，,；;/ or line breaks (in order, no repeats)."""
    seen: set[str] = set()
    aliases = []
    for part in _ALIAS_SEPARATORS.split(text or ""):
        key = normalize_name(part)
        if key and key not in seen:
            seen.add(key)
            aliases.append(part.strip())
    return aliases
