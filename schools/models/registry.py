"""The registry: regions, schools and their annual statistical reports (docs/fields.md)."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools import fields
from schools.levels import Level, SchoolType

school_code_validator = RegexValidator(r"^\d{10}$", _("学校标识码应为10位数字"))


def plain_name(text):
    """`text` as a name is kept: one line, without control or format characters, runs of
    whitespace as one space, trimmed.

    Format characters (bidirectional overrides and isolates, zero-width spaces and joiners, the
    byte-order mark, the word joiner) are invisible: a name carrying them looks like another
    school's, sorts apart from it and shows reversed in lists and exports. Full-width punctuation
    and letters are kept as typed (no NFKC): they are how Chinese is written.
    """
    spaced = "".join(" " if char.isspace() else char for char in text)
    kept = "".join(char for char in spaced if unicodedata.category(char) not in ("Cc", "Cf"))
    return " ".join(kept.split())


class RegionQuerySet(models.QuerySet):
    def subtree_ids(self, region):
        """Ids of `region` and every region below it (one query: the tree is small)."""
        children = {}
        for pk, parent_id in self.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = [], [region.pk]
        while todo:
            pk = todo.pop()
            found.append(pk)
            todo.extend(children.get(pk, []))
        return found


class Region(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("地级市")
        COUNTY = "county", _("县级市/县/区")
        STREET = "street", _("街道")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级区划")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return self.name

    def county(self):
        """The county-level region at or above this one (balance is computed per county)."""
        region = self
        while region is not None and region.kind != self.Kind.COUNTY:
            region = region.parent
        return region


class SchoolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_region(self, region):
        return self.filter(region_id__in=Region.objects.subtree_ids(region))


class School(models.Model):
    Type = SchoolType

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("公办")
        PRIVATE = "private", _("民办")

    class AreaType(models.TextChoices):
        URBAN = "urban", _("城区")
        TOWN = "town", _("镇区")
        RURAL = "rural", _("乡村")

    code = models.CharField(_("学校标识码"), max_length=10, unique=True, validators=[school_code_validator])
    name = models.CharField(_("学校名称"), max_length=100)
    school_type = models.CharField(_("办学类型"), max_length=16, choices=SchoolType.choices)
    ownership = models.CharField(_("举办者类型"), max_length=8, choices=Ownership.choices, default="public")
    area_type = models.CharField(_("城乡分类"), max_length=8, choices=AreaType.choices)
    region = models.ForeignKey(Region, models.PROTECT, related_name="schools", verbose_name=_("所属镇街"))
    district = models.CharField(_("学区"), max_length=50, blank=True)
    teaching_point = models.BooleanField(_("是否教学点"), default=False)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="teaching_points",
        verbose_name=_("所属中心校"),
    )
    is_active = models.BooleanField(_("在办"), default=True)
    closed_on = models.DateField(_("撤并日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("并入学校"),
    )

    objects = SchoolQuerySet.as_manager()
    # Who changed what and when: admin edits record their user, imports their file.
    history = HistoricalRecords(verbose_name=_("学校修改记录"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        # The admin's import writes many schools at once: a right apart from editing one.
        permissions = [("import_school", _("可以导入学校名录"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(teaching_point=False) | Q(parent__isnull=False),
                name="school_teaching_point_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(is_active=False),
                name="school_merged_is_closed",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")) & ~Q(merged_into=F("pk")),
                name="school_not_own_parent",
            ),
        ]
        indexes = [
            # Admin and dashboards filter schools by town and type.
            models.Index(fields=["region", "school_type"], name="school_region_type"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def levels(self):
        return SchoolType.levels_of(self.school_type)

    def clean(self):
        errors = {}
        self.name = plain_name(self.name or "")
        if not self.name:
            errors["name"] = _("学校名称不能为空，也不能只有不可见字符")
        if self.teaching_point and not self.parent_id:
            errors["parent"] = _("教学点必须填写所属中心校")
        if self.pk and (self.parent_id == self.pk or self.merged_into_id == self.pk):
            errors["parent"] = _("学校不能隶属或并入自身")
        if self.merged_into_id and self.is_active:
            errors["is_active"] = _("已并入其他学校的学校应为停办状态")
        if errors:
            raise ValidationError(errors)


def _figure(field):
    """The model field that stores one report field of the table in `schools.fields`."""
    if field.kind == fields.Kind.COUNT:
        return models.PositiveIntegerField(field.title, default=0, help_text=field.unit)
    if field.kind == fields.Kind.AREA:
        return models.DecimalField(
            field.title, max_digits=12, decimal_places=2, default=0, help_text=field.unit
        )
    if field.kind in (fields.Kind.MONEY, fields.Kind.OPTIONAL_MONEY):
        optional = field.kind == fields.Kind.OPTIONAL_MONEY
        return models.DecimalField(
            field.title,
            max_digits=16,
            decimal_places=2,
            default=None if optional else 0,
            null=optional,
            blank=optional,
            help_text=field.unit,
        )
    if field.kind == fields.Kind.BOOL:
        return models.BooleanField(field.title, null=True, blank=True)
    return models.DecimalField(
        field.title,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=field.unit,
    )


# The report's figures, one model field per row of the field table.
ReportFigures = type(
    "ReportFigures",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **{field.key: _figure(field) for field in fields.REPORT_FIELDS},
    },
)


def _sum_of(keys):
    expression = F(keys[0])
    for key in keys[1:]:
        expression = expression + F(key)
    return expression


class AnnualReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=AnnualReport.Status.APPROVED)

    def for_year(self, year):
        return self.filter(year=year)


class AnnualReport(ReportFigures):
    """One school's statistical report for one year: raw counts; every ratio is derived."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审核")
        RETURNED = "returned", _("已退回")

    school = models.ForeignKey(School, models.PROTECT, related_name="reports", verbose_name=_("学校"))
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every write service; compliance results record the revision they were computed from.
    revision = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "school__code"]
        verbose_name = _("学校年报")
        verbose_name_plural = _("学校年报")
        # The admin's import writes approved reports, bypassing review: a right apart from editing one.
        permissions = [
            ("import_annualreport", _("可以导入学校年报")),
            # Judging a report (return, approve, reopen) is a right apart from editing one: clerks edit.
            ("review_annualreport", _("可以审核学校年报")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="report_one_per_school_year"),
            models.CheckConstraint(
                condition=Q(health_pass_rate__isnull=True)
                | Q(health_pass_rate__gte=0, health_pass_rate__lte=100),
                name="report_health_pass_rate_percent",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{part}__lte": _sum_of(wholes)}), name=f"report_{part}_bounded"
                )
                for part, wholes in fields.PART_OF_WHOLE
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"students_{level}": 0})
                    | Q(**{f"classes_{level}__gt": 0, f"teachers_{level}__gt": 0}),
                    name=f"report_{level}_students_need_classes_and_teachers",
                )
                for level in Level.values
            ],
        ]
        indexes = [
            # Compliance and balance read one year's approved reports.
            models.Index(fields=["year", "status"], name="report_year_status"),
        ]

    def __str__(self):
        return f"{self.school.name} {self.year}"

    def values(self):
        """The report's fields as a plain dict of key → number, for the arithmetic."""
        return {key: getattr(self, key) for key in fields.REPORT_KEYS}

    def clean(self):
        school_type = self.school.school_type if self.school_id else None
        problems = fields.contradictions(self.values(), school_type)
        if problems:
            errors = {}
            for field, message in problems:
                errors.setdefault(field, []).append(message)
            raise ValidationError(errors)


class Scope(models.Model):
    """What a user may see: the schools of some region subtrees and some single schools.

    Bureau-wide users (those with "schools.access_all_schools": superusers and the bureau
    administrator role) need none; anyone else without a scope sees no school at all.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="scope", verbose_name=_("用户")
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("区划（含下级）"))
    schools = models.ManyToManyField(School, blank=True, related_name="+", verbose_name=_("学校"))
    # Who widened or narrowed whose view, with the regions and schools before and after.
    history = HistoricalRecords(verbose_name=_("数据范围修改记录"), m2m_fields=[regions, schools])

    class Meta:
        verbose_name = _("数据范围")
        verbose_name_plural = _("数据范围")
        # Not "view_…": the read-only roles hold "schools.view_*" and must stay within their scope.
        permissions = [("access_all_schools", _("可以查看全部学校（不受数据范围限制）"))]

    def __str__(self):
        return str(self.user)
