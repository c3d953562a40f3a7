"""Records of file imports: who imported which file, when, and what came of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of a file, whether it was applied or refused."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("已导入")
        REFUSED = "refused", _("已拒绝")
        DRY_RUN = "dry_run", _("仅检查")

    kind = models.CharField(
        _("内容"), max_length=10, choices=[("schools", _("学校")), ("reports", _("年报"))]
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    problems = models.PositiveIntegerField(_("问题数"), default=0)
    outcome = models.CharField(_("结果"), max_length=8, choices=Outcome.choices)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self):
        return f"{self.file_name} {self.at:%Y-%m-%d %H:%M}"
