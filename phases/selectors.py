from phases.models import Campaign


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
