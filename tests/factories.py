"""Small builders for tests: regions, schools, approved reports and standards."""

from decimal import Decimal

from schools.models import AnnualReport, Region, School
from standards.models import BalanceRule, Indicator, PassRule, Standard, Threshold


def county(code="330382", name="乐清市"):
    region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "kind": "county"})
    return region


def town(parent=None, code="330382100", name="柳市镇"):
    parent = parent or county()
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "kind": "town", "parent": parent}
    )
    return region


def school(code, school_type="primary", region=None, **fields):
    fields.setdefault("name", f"测试学校{code[-3:]}")
    fields.setdefault("area_type", "town")
    return School.objects.create(code=code, school_type=school_type, region=region or town(), **fields)


def report(for_school, year=2012, status=AnnualReport.Status.APPROVED, **values):
    return AnnualReport.objects.create(school=for_school, year=year, status=status, **values)


def standard(code, kind="school", unit="school", **fields):
    fields.setdefault("name", code)
    fields.setdefault("year", 2012)
    return Standard.objects.create(code=code, kind=kind, evaluation_unit=unit, **fields)


def indicator(std, code, numerator, denominator, scale=1, thresholds=(), **fields):
    fields.setdefault("name", code)
    fields.setdefault("unit", "")
    fields.setdefault("numerator_unit", "")
    fields.setdefault("category", "other")
    ind = Indicator.objects.create(
        standard=std, code=code, numerator=numerator, denominator=denominator, scale=Decimal(scale), **fields
    )
    for value in thresholds:
        Threshold.objects.create(indicator=ind, value=Decimal(value))
    return ind


def pass_rule(std, max_failed, min_percent=None):
    return PassRule.objects.create(standard=std, max_failed=max_failed, min_percent=min_percent)


def balance_rule(std, mode="composite", primary="0.65", junior="0.55", **fields):
    return BalanceRule.objects.create(
        standard=std, mode=mode, limit_primary=Decimal(primary), limit_junior=Decimal(junior), **fields
    )


def campaign(std, balance_std, region=None, **fields):
    """The current campaign over `region` (the county by default): baseline 2012, evaluated 2014."""
    from phases.models import Campaign

    fields = {"name": "测试创建工作", "baseline_year": 2012, "evaluation_year": 2014, **fields}
    return Campaign.objects.create(
        region=region or county(), standard=std, balance_standard=balance_std, **fields
    )
