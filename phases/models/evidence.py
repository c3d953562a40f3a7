"""What proves a gap's rectification (photos, invoices, acceptance certificates), files attached to
the plan's tasks and meetings, and deliveries of purchased equipment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.files import attachment_upload_to, evidence_upload_to, private_storage
from phases.models.campaign import Campaign, FollowUpAction, Meeting, Task
from phases.models.tracking import Gap


class StoredFile(models.Model):
    """A file kept in the private storage: its sanitised name, the type found in its content, its
    size, and who uploaded it when."""

    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class Delivery(models.Model):
    """A delivery of purchased equipment (PLAN-T4, PLAN-S2); recording it attaches its delivery
    note as evidence to each gap it serves."""

    campaign = models.ForeignKey(
        Campaign, models.PROTECT, related_name="deliveries", verbose_name=_("创建工作")
    )
    delivered_on = models.DateField(_("到货日期"))
    supplier = models.CharField(_("供货单位"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("到货登记修改记录"))

    class Meta:
        ordering = ["campaign", "-delivered_on", "-pk"]
        verbose_name = _("到货登记")
        verbose_name_plural = _("到货登记")

    def __str__(self):
        return f"{self.delivered_on} {self.supplier}".strip()


class DeliveryLine(models.Model):
    """How much of one gap's purchase a delivery brought."""

    delivery = models.ForeignKey(Delivery, models.PROTECT, related_name="lines", verbose_name=_("到货登记"))
    gap = models.ForeignKey(Gap, models.PROTECT, related_name="delivery_lines", verbose_name=_("未达标项"))
    quantity = models.DecimalField(_("数量"), max_digits=14, decimal_places=2)
    history = HistoricalRecords(verbose_name=_("到货明细修改记录"))

    class Meta:
        ordering = ["delivery", "gap"]
        verbose_name = _("到货明细")
        verbose_name_plural = _("到货明细")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "gap"], name="delivery_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.gap} × {self.quantity}"


class Evidence(StoredFile):
    """A file that shows a gap's rectification, judged by a reviewer. Evidence alone never closes
    a gap: only an approved report whose figures pass does."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        INVOICE = "invoice", _("发票或合同")
        ACCEPTANCE = "acceptance", _("验收证明")
        DOCUMENT = "document", _("文件材料")
        OTHER = "other", _("其他")

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("未采纳")

    gap = models.ForeignKey(Gap, models.PROTECT, related_name="evidence", verbose_name=_("未达标项"))
    file = models.FileField(_("文件"), storage=private_storage, upload_to=evidence_upload_to, max_length=300)
    kind = models.CharField(_("材料类型"), max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    effective_on = models.DateField(_("材料日期"))
    note = models.TextField(_("说明"), blank=True)
    delivery = models.ForeignKey(
        Delivery,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("到货登记"),
    )
    decision = models.CharField(
        _("审核结论"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    history = HistoricalRecords(verbose_name=_("整改佐证修改记录"))

    class Meta:
        ordering = ["gap", "-uploaded_at"]
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
        # Accepting or rejecting a school's evidence: a reviewer's right, apart from uploading it.
        permissions = [("review_evidence", _("可以审核整改佐证材料"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending", decided_by__isnull=True)
                | (~Q(decision="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="evidence_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(decision="rejected") | ~Q(decision_reason=""),
                name="evidence_rejection_has_reason",
            ),
        ]

    def clean(self):
        if self.decision == self.Decision.REJECTED and not self.decision_reason.strip():
            raise ValidationError({"decision_reason": _("不采纳佐证材料须填写理由")})


class Attachment(StoredFile):
    """A file attached to a task of the plan, a meeting or a follow-up action (minutes, notices)."""

    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=attachment_upload_to, max_length=300
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    task = models.ForeignKey(
        Task, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name=_("任务")
    )
    meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name=_("会议")
    )
    action = models.ForeignKey(
        FollowUpAction,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("会议落实事项"),
    )
    history = HistoricalRecords(verbose_name=_("附件修改记录"))

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, meeting__isnull=True, action__isnull=True)
                | Q(task__isnull=True, meeting__isnull=False, action__isnull=True)
                | Q(task__isnull=True, meeting__isnull=True, action__isnull=False),
                name="attachment_has_one_owner",
            ),
        ]
