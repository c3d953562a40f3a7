"""What a draft's figures would mean: compliance computed in memory, never stored."""

from standards.calc.specs import SchoolInput
from standards.services import Specs


def compliance_preview(*, report, values, standard):
    """[UnitResult…] of `standard` for the report's school with `values` (report key → number)."""
    school = report.school
    specs = Specs(standard)
    data = {**report.values(), **values}
    subject = SchoolInput(
        code=school.code,
        name=school.name,
        school_type=school.school_type,
        area_type=school.area_type,
        values={key: data.get(key) for key in specs.keys},
    )
    return specs.evaluate(subject)
