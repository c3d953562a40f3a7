"""Forms of the city-target pages: a value the bureau enters, and the gaps a what-if closes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phases.models import CityTarget


class TargetValueForm(forms.Form):
    """An entered target's value for one year. The value is taken as typed: the service says
    what is wrong with it, naming the target and the year."""

    target = forms.ModelChoiceField(CityTarget.objects.none(), label=_("目标"))
    year = forms.IntegerField(label=_("年度"))
    value = forms.CharField(label=_("数值"), max_length=40)
    note = forms.CharField(label=_("来源说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("佐证文件"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = CityTarget.objects.filter(
            campaign=campaign, measure=CityTarget.Measure.ENTERED
        )
        self.fields["year"].initial = campaign.evaluation_year
        self.fields["year"].widget.attrs.update(min=campaign.baseline_year, max=campaign.evaluation_year)
