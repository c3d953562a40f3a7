"""Forms of the school page: recording an inspection visit, signing one off, a ledger entry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phases.models import InspectionVisit, LedgerEntry, LedgerItem

DATE = forms.DateInput(attrs={"type": "date"})


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("核查日期"), widget=DATE)
    inspectors = forms.CharField(
        label=_("核查人员"), max_length=InspectionVisit._meta.get_field("inspectors").max_length
    )
    findings = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 3}))
    sign_off = forms.BooleanField(label=_("核查组已当场签字确认"), required=False)


class SignOffForm(forms.Form):
    signed_off_on = forms.DateField(
        label=_("确认日期"), required=False, widget=DATE, help_text=_("留空为今天")
    )


class LedgerForm(forms.Form):
    item = forms.ModelChoiceField(label=_("台账项目"), queryset=LedgerItem.objects.none())
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=LedgerEntry._meta.get_field("note").max_length
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = campaign.ledger_items.all()
