"""The campaign: its five phases, the plan's tasks and the leadership group."""

from django.conf import settings
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
    # PLAN-T10: the evaluation judges the schools' approved reports of one year (2013 for the 2014
    # evaluation); phase 3 is done at a school once its report of that year is approved.
    data_year = models.PositiveSmallIntegerField(
        _("评估数据年度"),
        null=True,
        blank=True,
        help_text=_("评估所依据的学校年报年度（如 2014 年评估依据 2013 年年报）；留空即为评估年度"),
    )
    is_current = models.BooleanField(_("当前创建工作"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, help_text=_("学校与年报为合成的演示数据"))
    document = models.CharField(_("依据文件"), max_length=300, blank=True)
    # Which schools the campaign tracks (PLAN-T1: "two or more items") and which of them have
    # severe problems (PLAN-T5): the plan gives no rule for "severe", so the bureau sets it here.
    min_failed_items = models.PositiveSmallIntegerField(
        _("跟踪学校的最少未达标项数"), default=2, help_text=_("基准年未达标项数不少于此数的学校列为跟踪学校")
    )
    severe_min_failed = models.PositiveSmallIntegerField(_("问题严重：未达标项数不少于"), default=3)
    severe_if_facility_gap = models.BooleanField(
        _("问题严重：校舍场地有未达标项"), default=True, help_text=_("校舍场地类指标有未达标项即为问题严重")
    )
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
            models.CheckConstraint(condition=Q(min_failed_items__gte=1), name="campaign_min_failed_positive"),
            models.CheckConstraint(
                condition=Q(data_year__isnull=True)
                | Q(data_year__gte=F("baseline_year"), data_year__lte=F("evaluation_year")),
                name="campaign_data_year_in_span",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.baseline_year and self.evaluation_year and self.baseline_year > self.evaluation_year:
            raise ValidationError({"evaluation_year": _("评估年度不能早于基准年度")})
        if self.min_failed_items is not None and self.min_failed_items < 1:
            raise ValidationError({"min_failed_items": _("最少未达标项数至少为 1")})
        if self.data_year and self.baseline_year and self.evaluation_year:
            if not self.baseline_year <= self.data_year <= self.evaluation_year:
                raise ValidationError({"data_year": _("评估数据年度应在基准年度与评估年度之间")})

    @property
    def evaluation_data_year(self):
        """The year whose approved reports the evaluation judges (phase 3, PLAN-T10)."""
        return self.data_year or self.evaluation_year


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


class WorkStatus(models.TextChoices):
    """Where a task of the plan or a meeting's follow-up action stands."""

    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


class Assignment(models.Model):
    """What a task of the plan and a meeting's follow-up action share: the unit and the person
    who answer for it, its due date, and whether (and when) it was done."""

    responsible_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_%(class)ss",
        verbose_name=_("责任人"),
    )
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="%(class)s_done_has_date",
            ),
        ]


class Task(Assignment):
    """One of the plan's tasks (PLAN-T1…T18): who answers for it, by when, and how far it is."""

    phase = models.ForeignKey(Phase, models.CASCADE, related_name="tasks", verbose_name=_("阶段"))
    code = models.CharField(_("编号"), max_length=12, help_text=_("如 PLAN-T5"))
    title = models.CharField(_("任务"), max_length=300)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    tracked_schools = models.ManyToManyField(
        "phases.TrackedSchool", blank=True, related_name="tasks", verbose_name=_("涉及学校")
    )
    gaps = models.ManyToManyField(
        "phases.Gap", blank=True, related_name="tasks", verbose_name=_("涉及未达标项")
    )
    history = HistoricalRecords(verbose_name=_("任务修改记录"), m2m_fields=[tracked_schools, gaps])

    class Meta:
        ordering = ["phase", "order", "code"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        constraints = [
            *Assignment.Meta.constraints,
            models.UniqueConstraint(fields=["phase", "code"], name="task_code_unique_in_phase"),
        ]

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


class TaskUpdate(models.Model):
    """A progress note on a task, as the owner or the office writes it."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="updates", verbose_name=_("任务"))
    written_at = models.DateTimeField(_("填写时间"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="task_updates", verbose_name=_("填写人")
    )
    note = models.TextField(_("进展情况"))
    history = HistoricalRecords(verbose_name=_("任务进展修改记录"))

    class Meta:
        ordering = ["task", "-written_at"]
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")

    def __str__(self):
        return f"{self.task.code} {self.written_at:%Y-%m-%d}"


class Meeting(models.Model):
    """A leadership-group meeting (PLAN-T2, PLAN-S1) and what it decided."""

    campaign = models.ForeignKey(
        Campaign, models.PROTECT, related_name="meetings", verbose_name=_("创建工作")
    )
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    attending_units = models.TextField(_("参会单位"), blank=True)
    decisions = models.TextField(_("会议决定"), blank=True)
    history = HistoricalRecords(verbose_name=_("会议修改记录"))

    class Meta:
        ordering = ["campaign", "-held_on"]
        verbose_name = _("领导小组会议")
        verbose_name_plural = _("领导小组会议")

    def __str__(self):
        return f"{self.held_on} {self.title}"


class FollowUpAction(Assignment):
    """A follow-up action a meeting decided, tracked like a task."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="actions", verbose_name=_("会议"))
    title = models.CharField(_("落实事项"), max_length=300)
    notes = models.TextField(_("进展情况"), blank=True)
    history = HistoricalRecords(verbose_name=_("会议落实事项修改记录"))

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("会议落实事项")
        verbose_name_plural = _("会议落实事项")
        constraints = Assignment.Meta.constraints

    def __str__(self):
        return self.title
