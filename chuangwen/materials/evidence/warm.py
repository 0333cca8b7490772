"""Imported by the isolation fork server (settings.ISOLATION_PRELOAD): builds the people
detectors once, so each isolated analysis starts with them ready instead of parsing the face
cascade again (half a second per photo)."""

from chuangwen.materials.evidence.people import _faces, _hog

_hog()
_faces()
