"""Report fields picked by their titles in the admin's forms (the bureau's rules, the indicators),
saved as the same JSON list of keys the models keep."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools import fields


def _label(title, key):
    return format_html('{} <small class="quiet">{}</small>', title, key)


def report_field_choices():
    """The numeric report fields, grouped: the per-level patterns, then each section's fields."""
    groups = [
        (
            _("各学段（按学校的每个学段）"),
            [(key, _label(title, key)) for key, title in fields.LEVEL_PATTERNS.items()],
        )
    ]
    for name, keys in fields.SECTIONS:
        numeric = [(key, _label(fields.title(key), key)) for key in keys if key in fields.NUMERIC_KEYS]
        if numeric:
            groups.append((fields.SECTION_TITLES[name], numeric))
    return groups


def field_titles(keys):
    """A list of report keys as their titles on one line ("小学在校生数、各学段班数"); a key the
    field table does not know (an old rule's) as itself."""
    titles = []
    for key in keys or ():
        title = fields.LEVEL_PATTERNS.get(key) or (fields.title(key) if key in fields.FIELDS else key)
        titles.append(str(title))
    return "、".join(titles) or "—"


class ReportFieldsField(forms.MultipleChoiceField):
    """A list of report keys, ticked by title."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", gettext_lazy("勾选年报字段，取其合计；“各学段”的字段按学校的每个学段取值")
        )
        super().__init__(choices=report_field_choices, **kwargs)


class ReportFieldsAdminMixin:
    """For a ModelAdmin whose JSON fields `report_field_names` hold lists of report keys.

    `report_fields_required`: False when the model's clean() says itself what is missing."""

    report_field_names = ("numerator", "denominator")
    report_fields_required = True

    def _view_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """A view-only user's titles are read-only fields too: every form built from the fields
        (the change page's, the history's past version) must leave them out."""
        readonly = list(super().get_readonly_fields(request, obj))
        if self._view_only(request, obj):
            readonly += [
                f"{name}_titles" for name in self.report_field_names if f"{name}_titles" not in readonly
            ]
        return readonly

    def get_fields(self, request, obj=None):
        """Read-only, a list of keys is shown by its titles (`<name>_titles`), not as JSON: to a
        view-only user, or where the admin's readonly fields name the titles."""
        readonly = set(self.get_readonly_fields(request, obj))
        return [
            f"{name}_titles" if name in self.report_field_names and f"{name}_titles" in readonly else name
            for name in super().get_fields(request, obj)
        ]

    @admin.display(description=gettext_lazy("字段（分子）"))
    def numerator_titles(self, obj):
        return field_titles(obj.numerator)

    @admin.display(description=gettext_lazy("分母"))
    def denominator_titles(self, obj):
        return field_titles(obj.denominator)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.report_field_names:
            return ReportFieldsField(
                label=db_field.verbose_name, required=self.report_fields_required and not db_field.blank
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
