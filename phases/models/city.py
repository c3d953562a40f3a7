"""The city's own targets (PLAN-R1, R3, R5, R7, R8): what is measured, the threshold as data, and
the yearly values the bureau enters where the reports cannot compute them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.files import evidence_upload_to, private_storage
from phases.models.campaign import Campaign
from schools.levels import SchoolType


class CityTarget(models.Model):
    """A city-level target with its threshold. `measure` names how its value is computed from
    approved reports (phases.targets); `entered` targets take their yearly value from the bureau."""

    class Comparison(models.TextChoices):
        AT_MOST = "lte", _("不高于")
        AT_LEAST = "gte", _("不低于")

    class Measure(models.TextChoices):
        # The keys of phases.targets.MEASURES, and "entered".
        CHOICE_SHARE = "choice_share", _("择校生占招生数比例（%）")
        MIGRANT_PUBLIC_SHARE = "migrant_public_share", _("随迁子女在公办学校就读比例（%）")
        TRAINING_PAYROLL_SHARE = "training_payroll_share", _("教师培训经费占教师工资总额比例（%）")
        TRAINING_PUBLIC_FUNDS_SHARE = "training_public_funds_share", _("教师培训经费占公用经费比例（%）")
        OVERSIZE_CLASSES = "oversize_classes", _("超标准班额班数")
        SCHOOL_SIZE = "school_size", _("义务教育段在校生超过上限的学校数")
        PE_HOUR = "pe_hour", _("落实每天一小时体育活动的学校比例（%）")
        HEALTH_PASS_RATE = "health_pass_rate", _("学生体质健康及格率（按学生数加权，%）")
        ENTERED = "entered", _("由教育局填报")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="targets", verbose_name=_("创建工作"))
    code = models.CharField(_("编号"), max_length=40)
    name = models.CharField(_("目标"), max_length=200)
    plan_ref = models.CharField(_("计划条目"), max_length=20, blank=True, help_text=_("如 PLAN-R3"))
    measure = models.CharField(
        _("计算方法"), max_length=40, choices=Measure.choices, help_text=_("“由教育局填报”的目标逐年填报数值")
    )
    comparison = models.CharField(_("比较"), max_length=3, choices=Comparison.choices)
    threshold = models.DecimalField(_("标准值"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    # School size (PLAN-R1): the plan caps each school at its approved maximum, which the registry
    # does not hold; the bureau sets one limit per group of school types instead.
    school_limit = models.PositiveIntegerField(
        _("每校义务教育段在校生上限"),
        null=True,
        blank=True,
        help_text=_("仅用于“在校生超过上限的学校数”：超过此人数的学校计为未达标"),
    )
    school_types = models.JSONField(
        _("适用办学类型"),
        default=list,
        blank=True,
        help_text=_('仅用于“在校生超过上限的学校数”，如 ["primary", "junior"]；留空表示所有办学类型'),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords(verbose_name=_("全市目标修改记录"))

    class Meta:
        ordering = ["campaign", "order", "code"]
        verbose_name = _("全市目标")
        verbose_name_plural = _("全市目标")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="city_target_unique"),
            models.CheckConstraint(
                condition=~Q(measure="school_size") | Q(school_limit__isnull=False),
                name="city_target_school_size_has_limit",
            ),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="city_target_threshold_not_negative"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_entered(self):
        return self.measure == self.Measure.ENTERED

    def clean(self):
        errors = {}
        if self.measure == self.Measure.SCHOOL_SIZE and self.school_limit is None:
            errors["school_limit"] = _("“在校生超过上限的学校数”须填写每校在校生上限")
        if self.threshold is not None and self.threshold < 0:
            errors["threshold"] = _("标准值不能为负数")
        types = self.school_types or []
        if not isinstance(types, list) or any(t not in SchoolType.values for t in types):
            errors["school_types"] = _("办学类型须为列表，取值为：%(types)s") % {
                "types": ", ".join(SchoolType.values)
            }
        if errors:
            raise ValidationError(errors)


class CityTargetValue(models.Model):
    """A year's value of an entered target, with the file that supports it."""

    target = models.ForeignKey(CityTarget, models.PROTECT, related_name="values", verbose_name=_("全市目标"))
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=3)
    note = models.TextField(_("来源说明"), blank=True)
    file = models.FileField(
        _("佐证文件"), storage=private_storage, upload_to=evidence_upload_to, max_length=300, blank=True
    )
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("全市目标数值修改记录"))

    class Meta:
        ordering = ["target", "year"]
        verbose_name = _("全市目标数值")
        verbose_name_plural = _("全市目标数值")
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="city_target_value_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="city_target_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.target} {self.year}"
