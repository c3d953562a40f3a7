"""Writes of the city's targets: the yearly value of a target the reports cannot compute, entered
by the bureau with the file that supports it."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phases.models import CityTargetValue
from phases.uploads import validate_upload

PERCENT = "%"


def _decimal(value, target, year):
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            _("“%(target)s” %(year)s 年的数值“%(value)s”不是数字。")
            % {"target": target, "year": year, "value": value}
        ) from exc


@transaction.atomic
def target_value_enter(*, target, year, value, note, upload, user):
    """Record (or replace) the value of the entered `target` for `year`, with `upload` (an
    uploaded file) as its support; a replaced value keeps its file when no new one comes.

    Refused with a Chinese message naming the target, year and value, nothing written: a target
    computed from the reports, a year outside the campaign, a value that is missing, negative,
    above 100 for a percentage or has more than three decimals, no supporting file, a file the
    upload checks refuse.
    """
    campaign = target.campaign
    names = {"target": target, "year": year, "value": value}
    if not target.is_entered:
        raise ValidationError(_("“%(target)s”由已审核年报计算得出，不能填报数值。") % names)
    if year is None or not campaign.baseline_year <= year <= campaign.evaluation_year:
        raise ValidationError(
            _("“%(target)s”的年度 %(year)s 不在创建工作的年度（%(first)s—%(last)s）之内。")
            % {**names, "first": campaign.baseline_year, "last": campaign.evaluation_year}
        )
    if value is None or str(value).strip() == "":
        raise ValidationError(_("“%(target)s” %(year)s 年须填写数值。") % names)
    value = _decimal(value, target, year)
    if value < 0:
        raise ValidationError(_("“%(target)s” %(year)s 年的数值 %(value)s 不能为负数。") % names)
    if target.unit == PERCENT and value > 100:
        raise ValidationError(_("“%(target)s” %(year)s 年的数值 %(value)s%% 超过 100%%。") % names)
    row = CityTargetValue.objects.select_for_update().filter(target=target, year=year).first()
    row = row or CityTargetValue(target=target, year=year)
    if upload is None and not row.file:
        raise ValidationError(_("“%(target)s” %(year)s 年的数值须附佐证文件。") % names)
    safe_name = None
    if upload is not None:
        try:
            safe_name = validate_upload(upload)[0]
        except ValidationError as exc:
            raise ValidationError(
                _("“%(target)s” %(year)s 年的佐证文件：%(problem)s")
                % {**names, "problem": " ".join(exc.messages)}
            ) from exc
    row.value, row.note, row.entered_by = value, (note or "").strip(), user
    try:
        row.full_clean(exclude=["target", "entered_by", "file"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(target)s” %(year)s 年的数值 %(value)s：%(problem)s")
            % {**names, "problem": " ".join(exc.messages)}
        ) from exc
    if upload is not None:
        row.file.save(safe_name, upload, save=False)
        row.original_name = safe_name
    row._history_user = user
    row.save()
    return row
