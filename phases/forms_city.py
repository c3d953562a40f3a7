"""Forms and list filters of the city's work: tasks, meetings, follow-up actions, attachments, the
purchase list and its deliveries."""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases.models import Evidence, WorkStatus
from phases.services_city import DELIVERY_KINDS, NOTE_LIMIT
from schools.filters import RegionFilter
from standards.models import Indicator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name}（{obj.get_username()}）" if name else obj.get_username()


def owner_field():
    return UserChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        label=_("责任人"),
        empty_label=_("（未指定）"),
    )


class ProgressForm(forms.Form):
    """A status move and a progress note, of a task or a follow-up action."""

    status = forms.ChoiceField(label=_("状态"), choices=WorkStatus.choices)
    done_on = forms.DateField(
        label=_("完成日期"), required=False, widget=DATE, help_text=_("标记为已完成时必填")
    )
    note = forms.CharField(
        label=_("进展情况"), required=False, max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    """Who answers for a task or follow-up action, and by when."""

    owner = owner_field()
    responsible_unit = forms.CharField(label=_("责任单位"), required=False, max_length=100)
    due_on = forms.DateField(label=_("完成期限"), required=False, widget=DATE)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件"), help_text=_("图片、PDF 或 Word、Excel、PowerPoint 文档"))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    attending_units = forms.CharField(
        label=_("参会单位"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decisions = forms.CharField(
        label=_("会议决定"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionForm(AssignForm):
    title = forms.CharField(label=_("落实事项"), max_length=300)
    field_order = ["title", "responsible_unit", "owner", "due_on"]


class DeliveryForm(forms.Form):
    """A delivery's details; its quantities come from the purchase list's rows (`delivery_lines`)."""

    delivered_on = forms.DateField(label=_("到货日期"), widget=DATE)
    supplier = forms.CharField(label=_("供货单位"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("凭证类型"), choices=[(kind.value, kind.label) for kind in map(Evidence.Kind, DELIVERY_KINDS)]
    )
    file = forms.FileField(label=_("发票或验收证明"), help_text=_("作为整改佐证材料附到所供应的每个未达标项"))
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def delivery_lines(data, rows):
    """[(gap, quantity)] from the quantities typed against the purchase list's `rows` (blank ones
    skipped). A row of several level parts serves each of its gaps with the same delivery. A
    ValidationError names the row whose quantity is not a number."""
    lines = []
    for row in rows:
        text = (data.get(row.key) or "").strip()
        if not text:
            continue
        try:
            quantity = Decimal(text.replace(",", ""))
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite():
            raise ValidationError(
                gettext("%(school)s %(item)s：到货数量“%(value)s”不是数字。")
                % {"school": row.school.name, "item": row.indicator.name, "value": text}
            )
        lines.extend((gap, quantity) for gap in row.gaps)
    return lines


def form_error(form, error):
    """Put a service's ValidationError on `form`: on the field it names when the form has it,
    otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# --- Filters ---------------------------------------------------------------------------------------


class TaskFilterSet(django_filters.FilterSet):
    """The tasks list: by phase, status, overdue, owner."""

    phase = django_filters.ModelChoiceFilter(label=_("阶段"), queryset=None, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=WorkStatus.choices, empty_label=_("全部"))
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=[("1", _("仅逾期"))], empty_label=_("全部"), method="filter_overdue"
    )
    owner = django_filters.ModelChoiceFilter(label=_("责任人"), queryset=None, empty_label=_("全部"))

    def __init__(self, data, queryset, *, campaign):
        super().__init__(data, queryset)
        self.filters["phase"].queryset = campaign.phases.order_by("number")
        self.filters["owner"].queryset = (
            get_user_model()
            .objects.filter(owned_tasks__phase__campaign=campaign)
            .distinct()
            .order_by("username")
        )
        self.filters["owner"].field_class = UserChoiceField

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=True)


class PurchaseFilterSet(django_filters.FilterSet):
    """The purchase list: by town and by item."""

    region = RegionFilter("tracked__school__region")
    indicator = django_filters.ModelChoiceFilter(
        label=_("指标"), queryset=None, to_field_name="code", empty_label=_("全部")
    )

    def __init__(self, data, queryset, *, campaign):
        super().__init__(data, queryset)
        self.filters["indicator"].queryset = campaign.standard.indicators.filter(
            category=Indicator.Category.EQUIPMENT
        ).order_by("order")
