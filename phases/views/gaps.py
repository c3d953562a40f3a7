"""A gap's page: its plan, evidence and why it is (not yet) closed."""

from django.http import Http404


def gap(request, pk):
    raise Http404
