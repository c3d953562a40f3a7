"""The tracked schools through the five phases, and each school's timeline."""

from django.http import Http404


def school(request, code):
    raise Http404
