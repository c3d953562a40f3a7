"""The registry (regions, schools, scopes, the annual report's figures) and import records."""

from schools.models.imports import ImportBatch
from schools.models.registry import (
    AnnualReport,
    Region,
    School,
    Scope,
    school_code_validator,
)

__all__ = [
    "AnnualReport",
    "ImportBatch",
    "Region",
    "School",
    "Scope",
    "school_code_validator",
]
