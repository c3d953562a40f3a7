"""The campaign: its five phases, the plan's tasks and the leadership group."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import Region
from standards.models import Standard


class Campaign(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="campaigns", verbose_name=_("县（市、区）")
    )
    standard = models.ForeignKey(
        Standard,
        models.PROTECT,
        related_name="campaigns",
        verbose_name=_("办学基本标准"),
        limit_choices_to={"kind": Standard.Kind.SCHOOL},
    )
    balance_standard = models.ForeignKey(
        Standard,
        models.PROTECT,
        related_name="balance_campaigns",
        verbose_name=_("均衡评估标准"),
        limit_choices_to={"kind": Standard.Kind.BALANCE},
    )
    baseline_year = models.PositiveSmallIntegerField(_("基准年度"))
    evaluation_year = models.PositiveSmallIntegerField(_("评估年度"))
    is_current = models.BooleanField(_("当前创建工作"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("学校与年报为合成的演示数据"))
    document = models.CharField(_("依据文件"), max_length=300, blank=True)
    history = HistoricalRecords(verbose_name=_("创建工作修改记录"))

    class Meta:
        ordering = ["-is_current", "-evaluation_year"]
        verbose_name = _("创建工作")
        verbose_name_plural = _("创建工作")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_year__lte=F("evaluation_year")), name="campaign_years_ordered"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="campaign_one_current"
            ),
        ]

    def __str__(self):
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="phases", verbose_name=_("创建工作"))
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=50)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    history = HistoricalRecords(verbose_name=_("阶段修改记录"))

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="phase_number_unique"),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="phase_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})


class Task(models.Model):
    phase = models.ForeignKey(Phase, models.CASCADE, related_name="tasks", verbose_name=_("阶段"))
    code = models.CharField(_("编号"), max_length=12, help_text=_("如 PLAN-T5"))
    title = models.CharField(_("任务"), max_length=300)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords(verbose_name=_("任务修改记录"))

    class Meta:
        ordering = ["phase", "order", "code"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        constraints = [models.UniqueConstraint(fields=["phase", "code"], name="task_code_unique_in_phase")]

    def __str__(self):
        return f"{self.code} {self.title}"


class LeadershipUnit(models.Model):
    """A member of the leadership group (PLAN-S1): a person's role or a member unit."""

    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员单位")
        OFFICE = "office", _("领导小组办公室")

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="leadership", verbose_name=_("创建工作")
    )
    role = models.CharField(_("职务"), max_length=8, choices=Role.choices)
    name = models.CharField(_("单位或职务"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords(verbose_name=_("领导小组成员修改记录"))

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")

    def __str__(self):
        return self.name
