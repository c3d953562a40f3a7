"""The city's own targets (PLAN-R1, R3, R5, R7, R8): what is measured, the threshold as data, and
the yearly values the bureau enters where the reports cannot compute them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.files import evidence_upload_to, private_storage
from phases.models.campaign import Campaign


class CityTarget(models.Model):
    """A city-level target with its threshold. `measure` names how its value is computed from
    approved reports (phases.calc); `entered` targets take their yearly value from the bureau."""

    class Comparison(models.TextChoices):
        AT_MOST = "lte", _("不高于")
        AT_LEAST = "gte", _("不低于")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="targets", verbose_name=_("创建工作"))
    code = models.CharField(_("编号"), max_length=40)
    name = models.CharField(_("目标"), max_length=200)
    plan_ref = models.CharField(_("计划条目"), max_length=20, blank=True, help_text=_("如 PLAN-R3"))
    measure = models.CharField(_("计算方法"), max_length=40, help_text=_("entered 表示由教育局填报"))
    comparison = models.CharField(_("比较"), max_length=3, choices=Comparison.choices)
    threshold = models.DecimalField(_("标准值"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords(verbose_name=_("全市目标修改记录"))

    class Meta:
        ordering = ["campaign", "order", "code"]
        verbose_name = _("全市目标")
        verbose_name_plural = _("全市目标")
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="city_target_unique")]

    def __str__(self):
        return self.name


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
