"""The gap page's forms: they parse what was posted; the services decide (phases.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phases.models import Evidence, RectificationPlan
from phases.services import REASON_MAX, plan_measures


class ServiceErrorsMixin:
    def add_service_errors(self, error):
        """A service's refusal, beside the field it names (or at the top)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlanForm(ServiceErrorsMixin, forms.Form):
    measure = forms.ChoiceField(label=_("整改措施"))
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=100)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)
    deadline = forms.DateField(
        label=_("完成期限"),
        required=False,
        widget=DateInput(),
        help_text=_("留空则为问题整改阶段的结束日期"),
    )
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, gap, owners, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = plan_measures(gap.category)
        self.fields["measure"].choices = [
            (value, label) for value, label in RectificationPlan.Measure.choices if value in allowed
        ]
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class EvidenceForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("文件"), help_text=_("照片、PDF 或 Word、Excel、PowerPoint 文档"))
    kind = forms.ChoiceField(
        label=_("材料类型"), choices=Evidence.Kind.choices, initial=Evidence.Kind.DOCUMENT
    )
    effective_on = forms.DateField(label=_("材料日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClaimForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=REASON_MAX)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[(Evidence.Decision.ACCEPTED, _("采纳")), (Evidence.Decision.REJECTED, _("不采纳"))],
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不采纳须填写理由"),
    )
