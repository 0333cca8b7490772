"""Models of the materials app (网报材料): requirements, submissions, evidence, review."""

from chuangwen.materials.models.hashes import PhotoWindow
from chuangwen.materials.models.requirement import (
    DOCUMENT_KINDS,
    LEVEL_ORDER,
    Cadence,
    MaterialKind,
    MaterialRequirement,
    ReviewLevel,
    ReviewPolicy,
)
from chuangwen.materials.models.submission import (
    IN_REVIEW,
    ChecksState,
    CoverageCell,
    Decision,
    Document,
    DocumentKind,
    EvidenceFlag,
    FlagCode,
    Photo,
    ReviewAction,
    Severity,
    Submission,
    SubmissionStatus,
)

__all__ = [
    "DOCUMENT_KINDS",
    "IN_REVIEW",
    "LEVEL_ORDER",
    "Cadence",
    "ChecksState",
    "CoverageCell",
    "Decision",
    "Document",
    "DocumentKind",
    "EvidenceFlag",
    "FlagCode",
    "MaterialKind",
    "MaterialRequirement",
    "Photo",
    "PhotoWindow",
    "ReviewAction",
    "ReviewLevel",
    "ReviewPolicy",
    "Severity",
    "Submission",
    "SubmissionStatus",
]
