"""Splitting a spanning school's shared resources between its levels (docs/methods.md)."""

from decimal import Decimal
from fractions import Fraction

from schools.levels import TYPE_LEVELS

ONE = Decimal(1)


def level_weights(school_type, weights):
    if school_type == "complete_middle":
        return {"junior": ONE, "senior": weights.cm_senior}
    return {"primary": ONE, "junior": weights.junior, "senior": weights.senior}


def level_shares(school_type, students, weights):
    """Each level's share of the school's shared resources, by weighted students, as exact
    fractions (a share such as 100/342 has no finite decimal; a rounded one would put a part
    exactly at its threshold a hair below it).

    `students` maps level → students. Levels the type does not teach are ignored. Returns
    {} when the school has no students.
    """
    by_level = level_weights(school_type, weights)
    weighted = {
        level: Fraction(by_level[level]) * Fraction(students.get(level) or 0)
        for level in TYPE_LEVELS[school_type]
    }
    total = sum(weighted.values())
    if not total:
        return {}
    return {level: w / total for level, w in weighted.items()}
