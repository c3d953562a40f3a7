"""Forms of the report pages: the figures by section, warning explanations, reasons, queries."""

import re

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from reporting.models import REASON_LIMIT
from schools import fields
from schools.forms import YearField
from schools.importing.uploads import limit_in_megabytes, validate_upload
from schools.levels import TYPE_LEVELS
from schools.models import AnnualReport


def level_of(key):
    """The level a report key belongs to ("students_junior" → "junior"), or None."""
    suffix = key.rsplit("_", 1)[-1]
    return suffix if suffix in fields.LEVELS else None


def visible_keys(school_type):
    """The report keys a school of `school_type` fills: those of levels it does not teach are left out."""
    taught = TYPE_LEVELS[school_type]
    return [key for key in fields.REPORT_KEYS if level_of(key) in (None, *taught)]


def field_label(key):
    """The report field's Chinese title (the key itself if the report has no such field)."""
    try:
        return AnnualReport._meta.get_field(key).verbose_name
    except FieldDoesNotExist:
        return key


# "（books）" or "(books)": the field key that rule and import messages carry for the bureau's
# files and logs; a page names the field by its title instead.
_KEY_IN_MESSAGE = re.compile(r"\s?[（(]([a-z][a-z0-9_]*)[）)]")


def readable(message):
    """`message` as the page shows it: without the report field keys it names in brackets (the
    field's title is shown beside it). Other bracketed text (a school code, a value) stays."""
    return _KEY_IN_MESSAGE.sub(lambda found: "" if found[1] in fields.REPORT_KEYS else found[0], str(message))


def _form_field(key, disabled):
    model_field = AnnualReport._meta.get_field(key)
    # min_value=None: a negative count is refused by the bureau's rule, with its message.
    field = model_field.formfield(min_value=None) if key in fields.COUNT_KEYS else model_field.formfield()
    field.disabled = disabled
    # A plain form does not run the model's validators: bring over the percentage's 0 to 100.
    # Negatives and magnitudes are the bureau's error rules, checked when the report is saved.
    bounds = [v for v in model_field.validators if isinstance(v, (MinValueValidator, MaxValueValidator))]
    if key in fields.NUMERIC_KEYS:
        field.widget.attrs.setdefault("min", 0)
    field.validators.extend(bounds)
    return field


class ReportForm(forms.Form):
    """The report's figures for the levels the school teaches, and the revision they were read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, school_type, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = visible_keys(school_type)
        for key in self.keys:
            self.fields[key] = _form_field(key, disabled=not editable)

    def full_clean(self):
        super().full_clean()
        # What was typed validly, kept apart: errors added later (by a service) drop their fields
        # from cleaned_data, but the page still shows, checks and previews what was typed.
        cleaned = getattr(self, "cleaned_data", {})
        self.typed = {key: cleaned[key] for key in self.keys if key in cleaned}

    def values(self):
        return {key: self.cleaned_data[key] for key in self.keys}

    def add_service_errors(self, error):
        """Put a service's ValidationError (field → messages) next to the fields it names, in
        words a clerk reads: a field this form does not show is named by its title."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, readable(message))
            return
        for field, messages in error.message_dict.items():
            for message in messages:
                if field in self.fields:
                    self.add_error(field, readable(message))
                else:
                    self.add_error(None, f"{field_label(field)}：{readable(message)}")

    def error_summary(self):
        """[(field title, the field's element id or None, message)] of every error, in the
        order the page shows the fields."""
        summary = [(None, None, message) for message in self.non_field_errors()]
        for key in self.keys:
            for message in self.errors.get(key, ()):
                summary.append((field_label(key), self[key].id_for_label, message))
        return summary


class UploadForm(forms.Form):
    """A school's filled-in report template, and the revision the page was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    file = forms.FileField(
        label=_("上传填好的模板"),
        validators=[validate_upload],
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload_%s")  # the report form has its own id_version
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            ".xlsx或.csv文件，不超过%(limit)s MB，只含本校本年度一行；保存后仍为草稿，可在本页修改后提交。"
        ) % {"limit": limit_in_megabytes()}


EXPLAIN = "explain__"


def explanation_name(finding):
    return f"{EXPLAIN}{finding.rule}__{finding.field}"


def explanations_from(data):
    """(rule, field) → the text typed in each `explain__<rule>__<field>` box. A field key has no
    double underscore, so the last one separates it from the rule's code."""
    found = {}
    for name, text in data.items():
        if name.startswith(EXPLAIN) and "__" in name[len(EXPLAIN) :]:
            rule, field = name[len(EXPLAIN) :].rsplit("__", 1)
            found[(rule, field)] = text
    return found


def posted_int(data, name):
    """A whole number posted as `name`, or None when it is missing or not a number."""
    try:
        return int(data.get(name, ""))
    except ValueError:
        return None


def posted_version(data):
    """The revision the page was loaded at, or None when the request carries none."""
    return posted_int(data, "version")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_LIMIT}), required=False
    )


class ApproveForm(forms.Form):
    """Approving needs the reviewer to say they checked: a page without JavaScript asks too."""

    checked = forms.BooleanField(
        label=_("我已核对本年报的数据、警示说明和质询"),
        error_messages={"required": _("请先勾选“我已核对”再审核通过。")},
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class TemplateForm(forms.Form):
    year = YearField(label=_("年度"), required=False)
