from django.db.models import Count, Max, Min, Q

from phases.models import Campaign, Gap


def current_campaign():
    """The campaign the bureau is running now, with its standards and county, or None."""
    return (
        Campaign.objects.filter(is_current=True)
        .select_related("region", "standard", "balance_standard")
        .first()
    )


def campaign_phases(campaign):
    """The campaign's phases with their tasks, in two queries."""
    return campaign.phases.prefetch_related("tasks").order_by("number")


def tracked_schools(campaign):
    """The campaign's tracked schools with their town, each with `gaps_total` and `gaps_open`
    (not yet closed or waived), in one query."""
    return (
        campaign.tracked.select_related("school__region")
        .annotate(
            gaps_total=Count("gaps"),
            gaps_open=Count("gaps", filter=Q(gaps__status__in=Gap.UNRESOLVED)),
        )
        .order_by("school__code")
    )


def gap_counts(campaign):
    """{status: number of the campaign's gaps}, every status present (0 when none)."""
    counts = dict.fromkeys(Gap.Status.values, 0)
    rows = Gap.objects.filter(tracked__campaign=campaign).values_list("status").annotate(n=Count("pk"))
    counts.update(dict(rows))
    return counts


def campaign_span(campaign):
    """(first phase's start, last phase's end) of the campaign: where its dates and deadlines
    must fall; (None, None) when it has no phases yet."""
    span = campaign.phases.aggregate(start=Min("starts_on"), end=Max("ends_on"))
    return span["start"], span["end"]


def rectification_end(campaign):
    """The end of the campaign's rectification phase (number 2): a plan's default deadline."""
    return campaign.phases.filter(number=2).values_list("ends_on", flat=True).first()
