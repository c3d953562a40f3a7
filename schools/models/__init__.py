"""The registry (regions, schools, annual reports, scopes) and the report workflow's records."""

from schools.models.registry import (
    AnnualReport,
    Region,
    School,
    Scope,
    school_code_validator,
)
from schools.models.workflow import (
    FieldQuery,
    ImportBatch,
    QueryMessage,
    ReportEvent,
    ReportRule,
    WarningExplanation,
)

__all__ = [
    "AnnualReport",
    "FieldQuery",
    "ImportBatch",
    "QueryMessage",
    "Region",
    "ReportEvent",
    "ReportRule",
    "School",
    "Scope",
    "WarningExplanation",
    "school_code_validator",
]
