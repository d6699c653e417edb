from django.utils.cache import add_never_cache_headers


class PrivacyHeadersMiddleware:
    """Pages may carry a reporter's or a case's details: never let a browser or proxy keep them,
    and never leak the page address to another site. Static files are served before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        response["Referrer-Policy"] = "no-referrer"
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response
