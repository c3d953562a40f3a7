from django.conf import settings


def site(request):
    """The site title, and the current campaign for the demo banner and navigation."""
    from phases.selectors import current_campaign

    return {"SITE_TITLE": settings.SITE_TITLE, "campaign": current_campaign()}
