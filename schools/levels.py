"""School levels and school types, and which levels each type teaches."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初级中学")
    NINE_YEAR = "nine_year", _("九年一贯制学校")
    TWELVE_YEAR = "twelve_year", _("十二年一贯制学校")
    COMPLETE_MIDDLE = "complete_middle", _("完全中学")

    @classmethod
    def levels_of(cls, school_type):
        return TYPE_LEVELS[school_type]


TYPE_LEVELS = {
    "primary": ("primary",),
    "junior": ("junior",),
    "nine_year": ("primary", "junior"),
    "twelve_year": ("primary", "junior", "senior"),
    "complete_middle": ("junior", "senior"),
}

# The levels compulsory education is judged on.
COMPULSORY_LEVELS = ("primary", "junior")
