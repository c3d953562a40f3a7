"""Writes of the standards app: recomputing stored compliance results."""


def compliance_recompute(*, reports=None, year=None, standard=None):
    """Recompute stored compliance for `reports` (an iterable of AnnualReport ids or a queryset),
    or for every approved report of `year`; for `standard` or every per-school standard.

    Returns the number of summaries written. (Being written.)
    """
    raise NotImplementedError
