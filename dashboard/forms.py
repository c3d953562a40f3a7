from django import forms
from django.utils.translation import gettext_lazy as _

from standards.models import Standard


class StandardChoiceField(forms.ModelChoiceField):
    """A standard chosen by its name: its code is the bureau's internal key, not a word for a page."""

    def label_from_instance(self, obj):
        return obj.name


class BalanceFilter(forms.Form):
    """Which verdict the balance page computes: a form, not a FilterSet, for it narrows no list."""

    standard = StandardChoiceField(
        Standard.objects.filter(kind=Standard.Kind.BALANCE),
        label=_("标准"),
        to_field_name="code",
        required=False,
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
