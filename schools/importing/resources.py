"""django-import-export resources planned over the whole file, and the registry's, shared by admin and commands.

Left to itself the library imports row by row, keeps the valid rows of a file that has bad ones
and, in bulk mode, may have written earlier batches before a later one fails. Here
before_import() plans the whole file first (plans.py: every problem, no write); a file with any
problem imports nothing, and the rows are written once, at the end, under the import's transaction.
"""

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import Result

from schools import fields as report_fields
from schools.access import visible_region_ids, visible_schools
from schools.importing.outcome import Problem
from schools.importing.plans import Plan
from schools.importing.readers import Table
from schools.importing.school_plan import plan_schools, school_layout
from schools.importing.writing import schools_history, schools_write
from schools.models import School


class ImportRefused(Exception):
    """Problems with the file as a whole (its header, its type): shown as the import's error, one
    line per problem in the active language (the admin's import page lists `problems`)."""

    def __init__(self, problems):
        super().__init__("\n".join(problem.describe() for problem in problems))
        self.problems = problems


class SheetRowResult(Result):
    """The library's result, numbering rows as the spreadsheet does (its header is row 1), so that
    the admin's table of invalid rows agrees with the messages ("第3行，…") beside it."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)


class PlannedResource(resources.ModelResource):
    """A resource whose rows come from a plan of the whole file; subclasses say how to plan and write."""

    @classmethod
    def get_result_class(cls):
        return SheetRowResult

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = None
        self.source = ""
        self.plan = Plan()
        self.dry_run = False
        self._problems = {}
        self._entry = None

    def make_plan(self, table):
        raise NotImplementedError

    def layout(self):
        raise NotImplementedError

    def write(self, creates, updates):
        raise NotImplementedError

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # All or nothing whoever calls: the admin's confirm step, for one, does not ask for a
        # rollback on validation errors.
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        self.dry_run = dry_run
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        """Plan the file; `table` (optional) is the Table the dataset came from, with its reading problems.
        `user` and `source` (the file's name), when given, go into the history of what is written."""
        self.user = kwargs.get("user")
        self.source = kwargs.get("source") or kwargs.get("file_name") or ""
        table = kwargs.get("table") or getattr(dataset, "source_table", None) or Table.from_dataset(dataset)
        self.plan = self.make_plan(table)
        if self.user is not None:
            self.plan.problems.extend(self.scope_problems(self.user))
        self._problems = self.plan.problems_by_row()
        whole_file = self._problems.get(None, []) + self._problems.get(1, [])
        if whole_file:
            raise ImportRefused(whole_file)
        dataset.headers = self.import_headers(dataset)

    def scope_problems(self, user):
        """Rows the user may not write: for schools outside their data scope."""
        region_ids = visible_region_ids(user)
        if region_ids is None:
            return []
        allowed = set(visible_schools(user).values_list("pk", flat=True))
        label = self.plan.label(self.scope_column, self.scope_column)
        problems = []
        for number, entry in self.plan.entries.items():
            school = self.school_of(entry.instance)
            if school.pk not in allowed and not (school.pk is None and school.region_id in region_ids):
                message = _("学校“%(code)s”不在您的数据范围内，不能导入") % {"code": school.code}
                problems.append(Problem(number, label, message))
        return problems

    def import_headers(self, dataset):
        """The dataset's headers as the resource's column names (keys), whichever way the file wrote them."""
        headers = list(dataset.headers)
        for key, index in self.plan.positions.items():
            headers[index] = key
        return headers

    def before_import_row(self, row, **kwargs):
        # The library counts data rows from 1; the spreadsheet's header is row 1.
        number = kwargs["row_number"] + 1
        if number in self._problems:
            # Shown on the admin's import page: in the active language, not the commands' fixed format.
            raise ValidationError([problem.describe() for problem in self._problems[number]])
        self._entry = self.plan.entries.get(number)

    def get_or_init_instance(self, instance_loader, row):
        if self._entry is None:
            return self.init_instance(row), True  # a blank row, skipped
        return self._entry.instance, self._entry.is_new

    def import_instance(self, instance, row, **kwargs):
        """Nothing to do: the plan has set the instance's values."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self._entry is None or not self._entry.changed

    def bulk_create(self, *args, **kwargs):
        """Rows are written in after_import(), once every row is known to be good."""

    def bulk_update(self, *args, **kwargs):
        """Rows are written in after_import(), once every row is known to be good."""

    def after_import(self, dataset, result, **kwargs):
        # ModelResource.after_import() resets sequences for rows imported with explicit ids; ids
        # here come from the database, so it is not called.
        if not (result.has_errors() or result.has_validation_errors()):
            self.write(self.create_instances, self.update_instances)

    def export(self, queryset=None, **kwargs):
        # Numbers stay numbers in every format (the library writes them as localised text in CSV):
        # the format escapes text alone, and a negative figure is no formula.
        return super().export(queryset, **{**kwargs, "force_native_type": True})

    def get_export_headers(self, selected_fields=None):
        layout = self.layout()
        return [layout.title(field.column_name) for field in self.get_export_fields(selected_fields)]


def yes_no(value):
    return {True: _("是"), False: _("否")}.get(value, "")


class SchoolResource(PlannedResource):
    scope_column = "code"

    @staticmethod
    def school_of(instance):
        return instance

    region = fields.Field(attribute="region", column_name="region")
    parent_code = fields.Field(attribute="parent", column_name="parent_code")

    class Meta:
        model = School
        fields = report_fields.REGISTRY_KEYS
        import_id_fields = ("code",)
        use_bulk = True
        skip_diff = True
        batch_size = 1000
        # The plan checks every row, the model's rules included, against the whole file.
        clean_model_instances = False

    def make_plan(self, table):
        return plan_schools(table)

    def layout(self):
        return school_layout()

    def write(self, creates, updates):
        schools_write(creates=creates, updates=updates, batch_size=self._meta.batch_size)
        schools_history(creates=creates, updates=updates, user=self.user, source=self.source)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("region", "parent")

    def dehydrate_school_type(self, school):
        return force_str(school.get_school_type_display())

    def dehydrate_ownership(self, school):
        return force_str(school.get_ownership_display())

    def dehydrate_area_type(self, school):
        return force_str(school.get_area_type_display())

    def dehydrate_region(self, school):
        return school.region.name

    def dehydrate_teaching_point(self, school):
        return yes_no(school.teaching_point)

    def dehydrate_parent_code(self, school):
        return school.parent.code if school.parent_id else ""
