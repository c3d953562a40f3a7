class IgnoreBrowserLanguageMiddleware:
    """Serve Simplified Chinese unless the user chose another language (the language cookie).

    Bureau computers often run browsers set to English; the pages must still open in Chinese,
    so the browser's Accept-Language is not consulted. Goes before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
