"""Form fields shared by the pages of every app."""

from django import forms
from django.core.exceptions import ValidationError

from schools.importing.cells import CellError
from schools.importing.cells import year as parse_year


class YearField(forms.IntegerField):
    """A report year within the bounds the import accepts."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            try:
                parse_year(value)
            except CellError as error:
                raise ValidationError(str(error)) from None
