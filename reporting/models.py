"""The annual report's process: the years the bureau opens, the bureau's rules as data,
explanations, field queries and the report's history.

A report's history (events, query threads, explanations) is what an audit reads: it protects
its report, so that deleting a report never takes its history with it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools import fields
from schools.models import AnnualReport

# Longest text a person may write: a query's message or a warning's explanation, and a reason
# for returning or reopening. The services refuse longer ones with a message naming the limit.
TEXT_LIMIT = 2000
REASON_LIMIT = 500


class ReportingYear(models.Model):
    """A year the bureau opens for reporting: schools can start that year's report only once it
    is open, and the latest open year is the one the pages treat as being collected."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_open = models.BooleanField(_("开放填报"), default=True)
    opened_at = models.DateTimeField(_("开放时间"), auto_now_add=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords(verbose_name=_("填报年度修改记录"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("填报年度")
        verbose_name_plural = _("填报年度")
        constraints = [
            # The years a report can have (schools.forms.YearField, the import's year cells).
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="reporting_year_in_range"
            ),
        ]

    def __str__(self):
        return str(self.year)


class ReportRule(models.Model):
    """A check of a report's figures, kept as data the bureau can edit.

    An error blocks saving, submitting and importing; a warning must be explained before submitting.
    "range": Σ numerator (÷ Σ denominator, when given) must lie within [minimum, maximum], or each
    numerator field on its own when `each_field` is set; "compare": Σ numerator may not exceed
    Σ denominator (a part and its whole); "change": each numerator field may not move more than
    `max_change_percent` from last year's approved value. "{level}" in a field stands for each
    level the school teaches.

    Built-in rules (the contradictions, negatives and magnitudes every database starts with, see
    `reporting.rule_defaults`) can be reworded, retuned or switched off, not deleted.
    """

    class Severity(models.TextChoices):
        ERROR = "error", _("错误（不能保存）")
        WARNING = "warning", _("警示（须说明）")

    class Kind(models.TextChoices):
        RANGE = "range", _("取值范围")
        COMPARE = "compare", _("部分不得大于整体")
        CHANGE = "change", _("与上年核准值相比的变化")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    message = models.CharField(_("提示"), max_length=200)
    severity = models.CharField(_("级别"), max_length=8, choices=Severity.choices)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    numerator = models.JSONField(
        _("字段（分子）"),
        help_text=_('年报字段代码的列表，如 ["students_{level}"]；{level} 代表学校的每个学段'),
    )
    denominator = models.JSONField(
        _("分母"),
        default=list,
        blank=True,
        help_text=_("“取值范围”为比值时的分母；“部分不得大于整体”中的整体"),
    )
    each_field = models.BooleanField(
        _("逐个字段检查"),
        default=False,
        help_text=_("取值范围规则：对分子中的每个字段分别检查，而不是检查其合计"),
    )
    minimum = models.DecimalField(_("下限"), max_digits=14, decimal_places=3, null=True, blank=True)
    maximum = models.DecimalField(_("上限"), max_digits=14, decimal_places=3, null=True, blank=True)
    max_change_percent = models.DecimalField(
        _("最大变化幅度（%）"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)
    builtin = models.BooleanField(_("内置"), default=False, editable=False)
    history = HistoricalRecords(verbose_name=_("校验规则修改记录"))

    class Meta:
        ordering = ["severity", "code"]
        verbose_name = _("年报校验规则")
        verbose_name_plural = _("年报校验规则")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="range") | Q(minimum__isnull=False) | Q(maximum__isnull=False),
                name="report_rule_range_has_bound",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change") | Q(max_change_percent__isnull=False),
                name="report_rule_change_has_limit",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.message}"

    def clean(self):
        errors = {}
        for name in ("numerator", "denominator"):
            keys = getattr(self, name)
            if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
                errors[name] = _('应为字段代码的列表，如 ["books", "computers"]')
                continue
            unknown = [key for key in keys if not fields.is_numeric_key(key)]
            if unknown:
                errors[name] = _("不是年报字段：%(keys)s") % {"keys": "、".join(unknown)}
        if not errors.get("numerator") and not self.numerator:
            errors["numerator"] = _("至少需要一个字段")
        if self.kind == self.Kind.COMPARE and not self.denominator:
            errors["denominator"] = _("“部分不得大于整体”规则需要填写整体的字段")
        if self.each_field and (self.kind != self.Kind.RANGE or self.denominator):
            errors["each_field"] = _("只有不带分母的取值范围规则可以逐个字段检查")
        if errors:
            raise ValidationError(errors)


class WarningExplanation(models.Model):
    """The clerk's explanation of one warning on one field; the reviewer reads it."""

    report = models.ForeignKey(
        AnnualReport, models.PROTECT, related_name="explanations", verbose_name=_("年报")
    )
    rule_code = models.CharField(_("规则"), max_length=40)
    field = models.CharField(_("字段"), max_length=40)
    text = models.TextField(_("说明"), max_length=TEXT_LIMIT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("填写人")
    )
    written_at = models.DateTimeField(_("填写时间"), auto_now=True)

    class Meta:
        verbose_name = _("警示说明")
        verbose_name_plural = _("警示说明")
        constraints = [
            models.UniqueConstraint(fields=["report", "rule_code", "field"], name="explanation_unique"),
        ]

    def __str__(self):
        return f"{self.rule_code} {self.field}"


class FieldQuery(models.Model):
    """A reviewer's question about one field of a report, and its thread of answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已关闭")

    report = models.ForeignKey(AnnualReport, models.PROTECT, related_name="queries", verbose_name=_("年报"))
    field = models.CharField(_("字段"), max_length=40)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    raised_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        ordering = ["raised_at"]
        verbose_name = _("字段质询")
        verbose_name_plural = _("字段质询")

    def __str__(self):
        return f"{self.report} {self.field}"


class QueryMessage(models.Model):
    query = models.ForeignKey(FieldQuery, models.PROTECT, related_name="messages", verbose_name=_("质询"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("发言人")
    )
    text = models.TextField(_("内容"), max_length=TEXT_LIMIT)
    written_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("质询消息")
        verbose_name_plural = _("质询消息")

    def __str__(self):
        return self.text[:40]


class ReportEvent(models.Model):
    """One step in a report's history: who, when, what changed (old → new) and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建")
        SAVED = "saved", _("保存")
        SUBMITTED = "submitted", _("提交")
        RETURNED = "returned", _("退回")
        APPROVED = "approved", _("审核通过")
        REOPENED = "reopened", _("重新打开")
        IMPORTED = "imported", _("导入")

    report = models.ForeignKey(AnnualReport, models.PROTECT, related_name="events", verbose_name=_("年报"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_status = models.CharField(_("原状态"), max_length=10, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, blank=True)
    reason = models.TextField(_("原因"), max_length=REASON_LIMIT, blank=True)
    changes = models.JSONField(_("修改内容"), default=dict, blank=True, help_text=_("字段 → [原值, 新值]"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("年报记录")
        verbose_name_plural = _("年报记录")
        indexes = [
            # A report's page lists its history in order.
            models.Index(fields=["report", "at"], name="report_event_report_at"),
        ]

    def __str__(self):
        return f"{self.report} {self.get_action_display()}"
