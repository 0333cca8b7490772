"""Models of the points app: the checklist catalogue, points, and duty."""

from chuangwen.points.models.catalog import ChecklistItem, CheckMode, PointType, ScoringMode
from chuangwen.points.models.duty import CheckIn, DutyCategory, DutyLog, DutyLogPhoto, DutyRoster, DutyShift
from chuangwen.points.models.point import DEFAULT_RADIUS_M, Datum, PhotoFields, Point, status_of

__all__ = [
    "DEFAULT_RADIUS_M",
    "CheckIn",
    "CheckMode",
    "ChecklistItem",
    "Datum",
    "DutyCategory",
    "DutyLog",
    "DutyLogPhoto",
    "DutyRoster",
    "DutyShift",
    "PhotoFields",
    "Point",
    "PointType",
    "ScoringMode",
    "status_of",
]
