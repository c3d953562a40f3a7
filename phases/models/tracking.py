"""The campaign's tracked schools, their gaps, the plans to close them and what closing costs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.models.campaign import Campaign
from schools.levels import Level
from schools.models import AnnualReport, School
from standards.models import Indicator


class TrackedSchool(models.Model):
    """A school the campaign follows until its gaps close (PLAN-T1)."""

    class Source(models.TextChoices):
        BASELINE = "baseline", _("基准年数据")
        ADDED = "added", _("教育局增补")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="tracked", verbose_name=_("创建工作"))
    school = models.ForeignKey(School, models.PROTECT, related_name="tracked", verbose_name=_("学校"))
    enrolled_on = models.DateField(_("列入日期"))
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.BASELINE)
    reason = models.TextField(_("增补理由"), blank=True)
    baseline_failed = models.PositiveSmallIntegerField(_("基准年未达标项数"), default=0)
    severe = models.BooleanField(_("问题严重（按规则）"), default=False)
    severity_override = models.BooleanField(
        _("人工认定问题严重"), null=True, blank=True, help_text=_("留空表示按规则认定")
    )
    override_reason = models.TextField(_("人工认定理由"), blank=True)
    history = HistoricalRecords(verbose_name=_("跟踪学校修改记录"))

    class Meta:
        ordering = ["campaign", "school__code"]
        verbose_name = _("跟踪学校")
        verbose_name_plural = _("跟踪学校")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="tracked_school_unique"),
            models.CheckConstraint(
                condition=Q(source="baseline") | ~Q(reason=""), name="tracked_added_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(severity_override__isnull=True) | ~Q(override_reason=""),
                name="tracked_override_has_reason",
            ),
        ]

    def __str__(self):
        return str(self.school)

    @property
    def is_severe(self):
        """The bureau's decision when it made one, otherwise the rule's."""
        return self.severe if self.severity_override is None else self.severity_override

    def clean(self):
        if self.source == self.Source.ADDED and not self.reason.strip():
            raise ValidationError({"reason": _("教育局增补的跟踪学校须填写理由")})
        if self.severity_override is not None and not self.override_reason.strip():
            raise ValidationError({"override_reason": _("人工认定问题严重与否须填写理由")})


class Gap(models.Model):
    """One failed item of a tracked school: what the baseline lacked, and whether it is fixed."""

    class Status(models.TextChoices):
        OPEN = "open", _("未整改")
        PLANNED = "planned", _("已定方案")
        IN_PROGRESS = "in_progress", _("整改中")
        CLAIMED = "claimed", _("学校自报已整改")
        CLOSED = "closed", _("已整改（数据达标）")
        WAIVED = "waived", _("免予整改")

    # Not yet resolved: a passing approved report closes these; a school's claim alone does not.
    UNRESOLVED = (Status.OPEN, Status.PLANNED, Status.IN_PROGRESS, Status.CLAIMED)

    tracked = models.ForeignKey(
        TrackedSchool, models.PROTECT, related_name="gaps", verbose_name=_("跟踪学校")
    )
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="gaps", verbose_name=_("指标"))
    part = models.CharField(_("学段"), max_length=8, blank=True, choices=Level.choices)
    category = models.CharField(_("类别"), max_length=10, choices=Indicator.Category.choices)
    baseline_value = models.DecimalField(_("基准年实际值"), max_digits=16, decimal_places=4, null=True)
    threshold = models.DecimalField(_("标准值"), max_digits=12, decimal_places=3, null=True)
    shortfall = models.DecimalField(_("差额"), max_digits=16, decimal_places=2, null=True)
    unit = models.CharField(_("差额单位"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    # What a report's approval closed, so that reopening that report restores it.
    status_before_close = models.CharField(
        _("关闭前状态"), max_length=12, choices=Status.choices, blank=True, editable=False
    )
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        AnnualReport,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_gaps",
        verbose_name=_("据以关闭的年报"),
    )
    waiver_reason = models.TextField(_("免予整改理由"), blank=True)
    history = HistoricalRecords(verbose_name=_("未达标项修改记录"))

    class Meta:
        ordering = ["tracked", "indicator__order", "part"]
        verbose_name = _("未达标项")
        verbose_name_plural = _("未达标项")
        constraints = [
            models.UniqueConstraint(fields=["tracked", "indicator", "part"], name="gap_unique"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_by__isnull=False, closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_by__isnull=True)),
                name="gap_closed_by_report",
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(waiver_reason=""), name="gap_waiver_has_reason"
            ),
        ]
        indexes = [
            # The campaign's progress counts its gaps by status.
            models.Index(fields=["status"], name="gap_status"),
        ]

    def __str__(self):
        part = f"（{self.get_part_display()}）" if self.part else ""
        return f"{self.tracked} {self.indicator.code}{part}"

    def clean(self):
        closed = self.status == self.Status.CLOSED
        if closed != (self.closed_by_id is not None) or (closed and self.closed_on is None):
            raise ValidationError({"status": _("只有经审核年报数据达标的未达标项才能关闭")})
        if self.status == self.Status.WAIVED and not self.waiver_reason.strip():
            raise ValidationError({"waiver_reason": _("免予整改须填写理由")})


class RectificationPlan(models.Model):
    """How one gap is to be fixed (PLAN-T2, PLAN-T5), by whom and by when."""

    class Measure(models.TextChoices):
        PURCHASE = "purchase", _("购置配齐")
        BUILD = "build", _("新建")
        EXTEND = "extend", _("改扩建")
        MERGE = "merge", _("撤并调整")
        GROUP = "group", _("集团化办学")
        TRANSFER = "transfer", _("调配交流")
        TRAIN = "train", _("培训提升")
        RECRUIT = "recruit", _("招聘补充")
        OTHER = "other", _("其他")

    # The measures that fit each category of item: equipment is bought (PLAN-S2), buildings and
    # land are built, extended, merged or grouped (PLAN-R6), teachers moved, trained or hired
    # (PLAN-R7); "other" fits any item.
    MEASURES = {
        Indicator.Category.EQUIPMENT: {Measure.PURCHASE},
        Indicator.Category.FACILITY: {Measure.BUILD, Measure.EXTEND, Measure.MERGE, Measure.GROUP},
        Indicator.Category.STAFFING: {Measure.TRANSFER, Measure.TRAIN, Measure.RECRUIT},
        Indicator.Category.OTHER: set(),
    }

    gap = models.OneToOneField(Gap, models.PROTECT, related_name="plan", verbose_name=_("未达标项"))
    measure = models.CharField(_("整改措施"), max_length=10, choices=Measure.choices)
    responsible_unit = models.CharField(_("责任单位"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_plans",
        verbose_name=_("责任人"),
    )
    deadline = models.DateField(_("完成期限"))
    estimated_cost = models.DecimalField(
        _("估算经费（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(verbose_name=_("整改方案修改记录"))

    class Meta:
        ordering = ["deadline", "gap"]
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="plan_cost_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.gap} {self.get_measure_display()}"

    def clean(self):
        if self.estimated_cost is not None and self.estimated_cost < 0:
            raise ValidationError({"estimated_cost": _("估算经费不能为负数")})
        if self.gap_id and self.measure and self.measure != self.Measure.OTHER:
            if self.measure not in self.MEASURES.get(self.gap.category, set()):
                raise ValidationError({"measure": _("该整改措施不适用于此类未达标项")})


class UnitCost(models.Model):
    """What one unit of an item's shortfall costs (a computer, a book, a square metre)."""

    indicator = models.OneToOneField(
        Indicator, models.PROTECT, related_name="unit_cost", verbose_name=_("指标")
    )
    cost = models.DecimalField(_("单价（元）"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("计量单位"), max_length=20, help_text=_("如“台”“册”“平方米”"))
    is_sample = models.BooleanField(_("示例数值"), default=False, help_text=_("示例单价，须由教育局核定"))
    history = HistoricalRecords(verbose_name=_("单价修改记录"))

    class Meta:
        ordering = ["indicator__standard", "indicator__order"]
        verbose_name = _("单价")
        verbose_name_plural = _("单价")
        constraints = [models.CheckConstraint(condition=Q(cost__gte=0), name="unit_cost_not_negative")]

    def __str__(self):
        return f"{self.indicator.code} {self.cost}/{self.unit}"

    def clean(self):
        if self.cost is not None and self.cost < 0:
            raise ValidationError({"cost": _("单价不能为负数")})
