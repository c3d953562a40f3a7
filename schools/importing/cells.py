"""One cell of an import file turned into the value to store.

A parser takes a non-blank cell (text from a CSV file; text, number or boolean from Excel) and
returns the value to store, or raises CellError with a message in Chinese that names the field key.
"""

import functools
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

FIRST_YEAR = 2000

# What Excel shows in a cell whose formula failed.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
CENT = Decimal("0.01")
_CODE = re.compile(r"\d{10}", re.ASCII)
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII)


class CellError(ValueError):
    pass


class _FormulaWithoutValue:
    """Stands in a row for an Excel formula cell that carries no computed value."""

    def __repr__(self):
        return "FORMULA_WITHOUT_VALUE"


FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value):
    """A cell value as the user typed it, for messages (Excel keeps 12 as 12.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _error(message, value, key, **more):
    return CellError(message % {"value": shown(value), "key": key, **more})


def unreadable(value, key):
    """The error for a cell whose value Excel could not compute, or None."""
    if value is FORMULA_WITHOUT_VALUE:
        return CellError(_("公式没有计算结果，请在Excel中重新计算并保存后再导入（%(key)s）") % {"key": key})
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        return _error(_("单元格是Excel错误值“%(value)s”（%(key)s）"), value, key)
    return None


def _not_a_number(value, key):
    return _error(_("不是数字：“%(value)s”（%(key)s）"), value, key)


def _number(value, key):
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            text = value.strip()
            if not _THOUSANDS.fullmatch(text):
                raise _not_a_number(value, key) from None
            number = Decimal(text.replace(",", ""))
    elif isinstance(value, bool):
        raise _not_a_number(value, key)
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        # Excel computes with 15 significant digits; what a double holds beyond them is noise
        # (a cached 0.1 + 0.2 is 0.30000000000000004) and must not count as decimals.
        number = Decimal(format(value, ".15g"))
    else:
        raise _not_a_number(value, key)
    if not number.is_finite():
        raise _not_a_number(value, key)
    return number


@functools.cache
def capacity(key):
    """The largest value the database column of report field `key` can hold. Plausible limits
    (and negatives) are the bureau's error rules, checked on the whole row after parsing."""
    from schools.models import AnnualReport

    field = AnnualReport._meta.get_field(key)
    if isinstance(field, models.DecimalField):
        return Decimal(10) ** (field.max_digits - field.decimal_places) - CENT
    return 2_147_483_647  # a positive integer column on every database


def _bounded(number, value, key):
    if abs(number) > capacity(key):
        raise _error(
            _("数值过大，超出可存储的范围（不超过%(limit)s）：“%(value)s”（%(key)s）"),
            value,
            key,
            limit=f"{capacity(key):,}",
        )
    return number


def count(value, key):
    """A whole number the column can hold."""
    if type(value) is int:
        return _bounded(value, value, key)
    if type(value) is str and value.isascii() and value.isdigit():
        return _bounded(int(value), value, key)
    number = _number(value, key)
    if number != number.to_integral_value():
        raise _error(_("不是整数：“%(value)s”（%(key)s）"), value, key)
    return int(_bounded(number, value, key))


def amount(value, key):
    """An area or a sum of money the column can hold, at most two decimals."""
    number = _bounded(_number(value, key), value, key)
    if number.as_tuple().exponent >= -2:
        return number
    rounded = number.quantize(CENT)  # "1.500" has two decimals that count
    if rounded != number:
        raise _error(_("小数位数超过2位：“%(value)s”（%(key)s）"), value, key)
    return rounded


def percent(value, key):
    """A percentage from 0 to 100 ("95%" is read as 95), at most two decimals."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("%"):
        text = text[:-1]
    number = _number(text, key)
    if not 0 <= number <= 100:
        raise _error(_("应在0到100之间：“%(value)s”（%(key)s）"), value, key)
    return amount(number, key)


def year(value, key="year"):
    """A report year from FIRST_YEAR to next year."""
    last = timezone.localdate().year + 1
    number = _number(value, key)
    if number != number.to_integral_value() or not FIRST_YEAR <= number <= last:
        raise _error(
            _("年度应为%(first)d到%(last)d之间的年份：“%(value)s”（%(key)s）"),
            value,
            key,
            first=FIRST_YEAR,
            last=last,
        )
    return int(number)


def school_code(value, key):
    """A 10-digit school code; Excel may hold it as a number."""
    text = (
        shown(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else str(value).strip()
    )
    if not _CODE.fullmatch(text):
        raise _error(_("学校标识码应为10位数字：“%(value)s”（%(key)s）"), value, key)
    return text


def text(max_length):
    """A parser of text of at most `max_length` characters (a number is read as its digits)."""

    def parse(value, key):
        result = shown(value)
        if len(result) > max_length:
            raise _error(_("超过%(n)d个字：“%(value)s”（%(key)s）"), value, key, n=max_length)
        return result

    return parse


def _labels(value, label):
    """What a user may write for a choice: its key, its Chinese label, its label in the active language."""
    with translation.override("zh-hans"):
        chinese = str(label)
    return {value.lower(), chinese, str(label).lower()}


def choice(choices):
    """A parser of one of `choices` (a TextChoices class), given as key or label."""
    words = {word: value for value, label in choices.choices for word in _labels(value, label)}

    def parse(value, key):
        found = words.get(shown(value).lower())
        if found is None:
            with translation.override("zh-hans"):
                options = "、".join(str(label) for label in choices.labels)
            raise _error(
                _("不是有效的选项：“%(value)s”，应为%(options)s之一（%(key)s）"), value, key, options=options
            )
        return found

    return parse


_BOOLEANS = {"yes": True, "是": True, "true": True, "no": False, "否": False, "false": False}


def yes_no(value, key):
    """是/否, yes/no, or an Excel TRUE/FALSE."""
    if isinstance(value, bool):
        return value
    found = _BOOLEANS.get(shown(value).lower())
    if found is None:
        raise _error(_("应为“是”或“否”：“%(value)s”（%(key)s）"), value, key)
    return found
