"""Checks shared by the tests of generated data (the benchmark's and the province demo's)."""

PARENT_TYPES = ("primary", "nine_year", "twelve_year")


def assert_every_kind_of_school(schools):
    """`schools` (row dicts) hold every school type, private schools and teaching points, each
    point under a parent of its own town that teaches primary and is no teaching point itself."""
    assert {row["school_type"] for row in schools} == {
        "primary",
        "junior",
        "nine_year",
        "twelve_year",
        "complete_middle",
    }
    assert any(row["ownership"] == "private" for row in schools)
    by_code = {row["code"]: row for row in schools}
    points = [row for row in schools if row["teaching_point"]]
    assert points
    for point in points:
        parent = by_code[point["parent_code"]]
        assert parent["region"] == point["region"] and not parent["teaching_point"]
        assert parent["school_type"] in PARENT_TYPES
