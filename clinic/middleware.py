"""Responses to logged-in staff may carry patient data: browsers and proxies must not keep them."""

from django.utils.cache import add_never_cache_headers


class NoStoreForStaffPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
