from django import forms
from django.utils.translation import gettext_lazy as _

from schools.levels import SchoolType
from schools.models import Region
from standards.models import Standard


class ComplianceFilter(forms.Form):
    standard = forms.ModelChoiceField(
        Standard.objects.filter(kind=Standard.Kind.SCHOOL), label=_("标准"), to_field_name="code", required=False
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    region = forms.ModelChoiceField(
        Region.objects.filter(kind__in=["street", "town", "township"]), label=_("镇街"), required=False,
        to_field_name="code",
    )
    school_type = forms.ChoiceField(label=_("办学类型"), choices=[("", _("全部"))] + list(SchoolType.choices),
                                    required=False)
    failed = forms.ChoiceField(
        label=_("未达标项数"),
        choices=[("", _("全部")), ("2", _("2项及以上")), ("1", _("1项")), ("0", _("全部达标"))],
        required=False,
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class BalanceFilter(forms.Form):
    standard = forms.ModelChoiceField(
        Standard.objects.filter(kind=Standard.Kind.BALANCE), label=_("标准"), to_field_name="code", required=False
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


def bound_filter(request, form_class, years, **defaults):
    """The filter form bound to the query string, with `defaults` for what it leaves out, so
    that the form shows what the page is showing. Returns (form, cleaned data or {})."""
    data = request.GET.copy()
    for key, value in defaults.items():
        if value is not None:
            data.setdefault(key, value)
    form = form_class(data, years=years)
    return form, (form.cleaned_data if form.is_valid() else {})


def compliance_filter(request, campaign, years):
    """The compliance list's filter with its defaults — the campaign's standard, its baseline
    year, schools failing two or more items — shared by the page and its Excel export."""
    standard = campaign.standard if campaign else Standard.objects.filter(kind=Standard.Kind.SCHOOL).first()
    preferred = campaign.baseline_year if campaign else None
    return bound_filter(
        request, ComplianceFilter, years,
        standard=standard.code if standard else None,
        year=preferred if preferred in years else (years[0] if years else None),
        failed="2",
    )
