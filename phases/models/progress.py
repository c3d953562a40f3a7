"""What the five phases need that the reports cannot say: inspection visits (phase 1, PLAN-T1) and
the application ledger each tracked school keeps (phase 4, PLAN-T11)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.models.campaign import Campaign
from phases.models.tracking import TrackedSchool


class InspectionVisit(models.Model):
    """A visit that verifies a tracked school's situation on site (PLAN-T1); once signed off it
    marks the school verified."""

    tracked = models.ForeignKey(
        TrackedSchool, models.PROTECT, related_name="visits", verbose_name=_("跟踪学校")
    )
    visited_on = models.DateField(_("核查日期"))
    inspectors = models.CharField(_("核查人员"), max_length=300)
    findings = models.TextField(_("核查情况"))
    signed_off = models.BooleanField(_("已签字确认"), default=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    signed_off_on = models.DateField(_("确认日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    history = HistoricalRecords(verbose_name=_("实地核查修改记录"))

    class Meta:
        ordering = ["tracked", "-visited_on"]
        verbose_name = _("实地核查")
        verbose_name_plural = _("实地核查")
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_off=False, signed_off_by__isnull=True, signed_off_on__isnull=True)
                | Q(signed_off=True, signed_off_by__isnull=False, signed_off_on__isnull=False),
                name="visit_signed_off_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.tracked} {self.visited_on}"

    def clean(self):
        if self.signed_off_on and self.visited_on and self.signed_off_on < self.visited_on:
            raise ValidationError({"signed_off_on": _("确认日期不能早于核查日期")})


class LedgerItem(models.Model):
    """One item of the application ledger every tracked school must have in place (PLAN-T11):
    a list per campaign, kept by the bureau."""

    campaign = models.ForeignKey(
        Campaign, models.PROTECT, related_name="ledger_items", verbose_name=_("创建工作")
    )
    name = models.CharField(_("台账名称"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords(verbose_name=_("台账项目修改记录"))

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("申报台账项目")
        verbose_name_plural = _("申报台账项目")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="ledger_item_unique")]

    def __str__(self):
        return self.name


class LedgerEntry(models.Model):
    """A tracked school's ledger item recorded as in place, by whom and when."""

    tracked = models.ForeignKey(
        TrackedSchool, models.PROTECT, related_name="ledger_entries", verbose_name=_("跟踪学校")
    )
    item = models.ForeignKey(LedgerItem, models.PROTECT, related_name="entries", verbose_name=_("台账项目"))
    completed_on = models.DateField(_("完成日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    history = HistoricalRecords(verbose_name=_("学校台账修改记录"))

    class Meta:
        ordering = ["tracked", "item"]
        verbose_name = _("学校申报台账")
        verbose_name_plural = _("学校申报台账")
        constraints = [models.UniqueConstraint(fields=["tracked", "item"], name="ledger_entry_unique")]

    def __str__(self):
        return f"{self.tracked} {self.item}"
