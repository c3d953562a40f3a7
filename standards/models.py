"""Standards as data: indicators, thresholds, pass and balance rules, and stored results."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.fields import REPORT_KEYS
from schools.levels import Level, SchoolType
from schools.models import AnnualReport, School


class Standard(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("办学标准（逐校达标）")
        BALANCE = "balance", _("均衡标准（校际差异）")

    class Unit(models.TextChoices):
        SCHOOL = "school", _("按学校整体评估（阈值按办学类型）")
        LEVEL = "level", _("按学段评估（一贯制学校拆分，阈值按学段）")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("发布年份"))
    evaluation_unit = models.CharField(_("评估单位"), max_length=8, choices=Unit.choices, default=Unit.SCHOOL)
    is_sample = models.BooleanField(_("示例数值"), default=False)
    sample_note = models.TextField(_("示例说明"), blank=True)
    source = models.TextField(_("依据文件"), blank=True)
    # Weights for splitting a spanning school's shared resources by weighted students
    # (primary : junior : senior = 1 : 1.1 : 1.32; complete middle junior : senior = 1 : 1.2).
    weight_junior = models.DecimalField(
        _("初中学生折算系数"), max_digits=5, decimal_places=3, default=Decimal("1.1")
    )
    weight_senior = models.DecimalField(
        _("高中学生折算系数"), max_digits=5, decimal_places=3, default=Decimal("1.32")
    )
    weight_cm_senior = models.DecimalField(
        _("完全中学高中折算系数（初中为1）"), max_digits=5, decimal_places=3, default=Decimal("1.2")
    )

    history = HistoricalRecords(verbose_name=_("标准修改记录"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("标准")
        verbose_name_plural = _("标准")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_junior__gt=0, weight_senior__gt=0, weight_cm_senior__gt=0),
                name="standard_weights_positive",
            ),
            models.CheckConstraint(
                condition=Q(is_sample=False) | ~Q(sample_note=""), name="standard_sample_has_note"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def clean(self):
        if self.is_sample and not self.sample_note.strip():
            raise ValidationError({"sample_note": _("示例数值必须说明来源及待核对事项")})

    def split_weights(self):
        return {
            "junior": self.weight_junior,
            "senior": self.weight_senior,
            "cm_senior": self.weight_cm_senior,
        }


def validate_field_keys(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("应为年报字段键的非空列表"))
    for key in value:
        if key.replace("{level}", "primary") not in REPORT_KEYS:
            raise ValidationError(_("未知的年报字段：%(key)s"), params={"key": key})


class Indicator(models.Model):
    class Category(models.TextChoices):
        FACILITY = "facility", _("校舍场地")
        EQUIPMENT = "equipment", _("装备")
        STAFFING = "staffing", _("师资")
        OTHER = "other", _("其他")

    class Direction(models.TextChoices):
        AT_LEAST = "ge", _("不低于")
        AT_MOST = "le", _("不高于")

    standard = models.ForeignKey(Standard, models.CASCADE, related_name="indicators", verbose_name=_("标准"))
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=30)
    numerator_unit = models.CharField(
        _("分子单位"), max_length=20, help_text=_("差额的单位，如“台”“平方米”“人”")
    )
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    # Each a list of report keys summed; "{level}" stands for the level being evaluated.
    numerator = models.JSONField(_("分子（年报字段之和）"), validators=[validate_field_keys])
    denominator = models.JSONField(_("分母（年报字段之和）"), validators=[validate_field_keys])
    scale = models.DecimalField(_("倍数"), max_digits=8, decimal_places=2, default=1)
    direction = models.CharField(
        _("方向"), max_length=2, choices=Direction.choices, default=Direction.AT_LEAST
    )
    levels = models.JSONField(
        _("适用学段"),
        default=list,
        blank=True,
        help_text=_('如 ["primary", "junior"]；留空表示所有学段。按学校评估时，{level} 只在这些学段上求和'),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords(verbose_name=_("指标修改记录"))

    class Meta:
        ordering = ["standard", "order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_unique_in_standard"),
            models.CheckConstraint(condition=Q(scale__gt=0), name="indicator_scale_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        unknown = [level for level in self.levels or [] if level not in Level.values]
        if unknown:
            raise ValidationError({"levels": _("未知学段：%(l)s") % {"l": ", ".join(unknown)}})


class Threshold(models.Model):
    """A value an indicator must reach, for one school type (or level) × class band × area type."""

    # The blank choices say what they leave open: a row of the list reads "全部类型/学段 … 城乡不限",
    # not "全部 … 全部".
    APPLIES_CHOICES = [("", _("全部类型/学段"))] + list(SchoolType.choices) + [("senior", _("高中"))]
    AREA_CHOICES = [("", _("城乡不限"))] + list(School.AreaType.choices)

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="thresholds", verbose_name=_("指标")
    )
    applies_to = models.CharField(
        _("办学类型/学段"),
        max_length=16,
        blank=True,
        choices=APPLIES_CHOICES,
        help_text=_("按学校评估时为办学类型，按学段评估时为学段；留空表示全部"),
    )
    min_classes = models.PositiveSmallIntegerField(_("班数下限"), null=True, blank=True)
    max_classes = models.PositiveSmallIntegerField(_("班数上限"), null=True, blank=True)
    area_type = models.CharField(_("城乡分类"), max_length=8, blank=True, choices=AREA_CHOICES)
    value = models.DecimalField(_("标准值"), max_digits=12, decimal_places=3)

    history = HistoricalRecords(verbose_name=_("标准值修改记录"))

    class Meta:
        ordering = ["indicator", "applies_to", "min_classes", "area_type"]
        verbose_name = _("标准值")
        verbose_name_plural = _("标准值")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_classes__isnull=True)
                | Q(max_classes__isnull=True)
                | Q(min_classes__lte=F("max_classes")),
                name="threshold_band_ordered",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="threshold_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.get_applies_to_display()} {self.band_label()}: {self.value}"

    def band_label(self):
        """The class band, bounds included: "12–24班", "≥25班", "≤6班", or "不限班数"."""
        low, high = self.min_classes, self.max_classes
        if low is None and high is None:
            return str(_("不限班数"))
        if high is None:
            return str(_("≥%(low)s班") % {"low": low})
        if low is None:
            return str(_("≤%(high)s班") % {"high": high})
        return str(_("%(low)s–%(high)s班") % {"low": low, "high": high})

    def clean(self):
        if (
            self.min_classes is not None
            and self.max_classes is not None
            and self.min_classes > self.max_classes
        ):
            raise ValidationError({"max_classes": _("班数上限不能小于下限")})


class PassRule(models.Model):
    """A school passes when at most `max_failed` items fail and each failed one still reaches
    `min_percent` of its threshold (when set)."""

    standard = models.OneToOneField(
        Standard, models.CASCADE, related_name="pass_rule", verbose_name=_("标准")
    )
    max_failed = models.PositiveSmallIntegerField(_("允许未达标项数"), default=0)
    min_percent = models.DecimalField(
        _("未达标项最低达成度（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords(verbose_name=_("达标规则修改记录"))

    class Meta:
        verbose_name = _("达标规则")
        verbose_name_plural = _("达标规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_percent__isnull=True) | Q(min_percent__gte=0, min_percent__lte=100),
                name="pass_rule_percent_range",
            ),
        ]

    def __str__(self):
        return str(_("至多%(k)s项未达标") % {"k": self.max_failed})


class BalanceRule(models.Model):
    class Mode(models.TextChoices):
        COMPOSITE = "composite", _("综合差异系数（各指标平均）")
        PER_INDICATOR = "per_indicator", _("逐项差异系数")

    class TeachingPoints(models.TextChoices):
        SEPARATE = "separate", _("单独计算")
        MERGE = "merge", _("并入所属中心校")
        EXCLUDE = "exclude", _("不参与计算")

    standard = models.OneToOneField(
        Standard, models.CASCADE, related_name="balance_rule", verbose_name=_("标准")
    )
    mode = models.CharField(_("判定方式"), max_length=16, choices=Mode.choices)
    limit_primary = models.DecimalField(_("小学差异系数上限"), max_digits=5, decimal_places=3)
    limit_junior = models.DecimalField(_("初中差异系数上限"), max_digits=5, decimal_places=3)
    teaching_points = models.CharField(
        _("教学点处理"), max_length=10, choices=TeachingPoints.choices, default=TeachingPoints.SEPARATE
    )
    teaching_point_min_students = models.PositiveIntegerField(
        _("教学点最少学生数"), default=0, help_text=_("单独计算时，学生数低于此值的教学点不参与计算")
    )
    include_private = models.BooleanField(_("民办学校参与计算"), default=False)

    history = HistoricalRecords(verbose_name=_("均衡判定规则修改记录"))

    class Meta:
        verbose_name = _("均衡判定规则")
        verbose_name_plural = _("均衡判定规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(limit_primary__gt=0, limit_junior__gt=0), name="balance_rule_limits_positive"
            ),
        ]

    def __str__(self):
        return self.get_mode_display()

    def limit_for(self, level):
        return {"primary": self.limit_primary, "junior": self.limit_junior}[level]


class ComplianceSummary(models.Model):
    """One report's (or one level part's) standing against one per-school standard.

    Its items are stored with it as JSON (`standards.calc.codec`: one short list per indicator,
    in the standard's order), and the ids of the failed ones as `,id,id,` text, which SQL
    filters on (`standards.selectors.failing`): writing a row per item, or per failed item,
    cost several times computing it.
    """

    # No index of their own: the unique (report, standard, part) and the (standard, failed
    # count) indexes begin with them, and every index is upkeep on each of 20,000 inserts.
    report = models.ForeignKey(
        AnnualReport, models.CASCADE, related_name="compliance", verbose_name=_("年报"), db_index=False
    )
    standard = models.ForeignKey(
        Standard, models.CASCADE, related_name="summaries", verbose_name=_("标准"), db_index=False
    )
    part = models.CharField(_("学段"), max_length=8, blank=True, help_text=_("按学段评估时的学段"))
    failed_count = models.PositiveSmallIntegerField(_("未达标项数"))
    evaluated_count = models.PositiveSmallIntegerField(_("评估项数"))
    passed_rule = models.BooleanField(_("达标"))
    # What the result was computed from: the report's revision (bumped by every write service),
    # a fingerprint of the standard's formulas, thresholds and rules, and one of the values
    # themselves (catching changes made outside the services).
    report_revision = models.PositiveIntegerField()
    standard_fingerprint = models.CharField(max_length=16)
    values_fingerprint = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)
    items = models.JSONField(_("各指标结果"), default=list)
    failed_indicators = models.TextField(
        _("未达标指标"), blank=True, default="", help_text=_("未达标指标的编号，形如“,3,7,”")
    )

    class Meta:
        ordering = ["report__school__code", "part"]
        verbose_name = _("达标结果")
        verbose_name_plural = _("达标结果")
        constraints = [
            models.UniqueConstraint(fields=["report", "standard", "part"], name="summary_unique"),
        ]
        indexes = [
            # The dashboard lists one standard's failing schools, worst first.
            models.Index(fields=["standard", "failed_count"], name="summary_standard_failed"),
        ]

    def __str__(self):
        return f"{self.report} {self.standard.code}: {self.failed_count}"
