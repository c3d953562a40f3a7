from django.conf import settings

from phases.selectors import current_campaign


def site(request):
    """The site title, and the current campaign for the demo banner and navigation.

    Cached on the request: table cells rendered from templates run context processors again.
    """
    if not hasattr(request, "_current_campaign"):
        request._current_campaign = current_campaign()
    return {"SITE_TITLE": settings.SITE_TITLE, "campaign": request._current_campaign}
