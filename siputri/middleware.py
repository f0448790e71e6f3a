from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Indonesian unless the visitor chose another language with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many phones in
    Indonesia are set to English, yet the site speaks Indonesian first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other visitors next: leave no language active behind.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RejectNulMiddleware:
    """Answer 400 to a URL or query string that carries a NUL character.

    No page takes one, and PostgreSQL refuses NUL in text, so a lookup with one would fail as a
    server error deep in a view. Form and API bodies are checked by their fields.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [name for name, values in request.GET.lists() if any("\x00" in value for value in values)]
        if "\x00" in request.path:
            fields.append("__all__")
        if not fields:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("The request contains characters that are not allowed.")
            return JsonResponse({"errors": {field: [message] for field in fields}}, status=400)
        return HttpResponseBadRequest(render_to_string("400.html", request=request))


class CompressPagesMiddleware(GZipMiddleware):
    """Gzip HTML, SVG and JSON for clients that accept it (the survey page shrinks to about a
    quarter on a slow mobile link). Django's GZipMiddleware adds a random-length pad to every
    compressed body, so response lengths do not reveal the CSRF token (BREACH). Files already
    compressed (PDF, XLSX, PNG) pass as they are; static files are WhiteNoise's, served
    precompressed (gzip, or brotli where the client takes it)."""

    COMPRESSED_TYPES = ("text/html", "image/svg+xml", "application/json", "text/csv")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type not in self.COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)


class PrivateCacheMiddleware:
    """Mark every response to a signed-in request ``Cache-Control: private, no-store``.

    Staff pages, PDFs, exports and evidence files are someone's own view of an agency's data: no
    proxy or shared browser may keep a copy. Done here, below every view, so that a new view is
    covered without remembering it; a view's own ``public`` (charts, open data) gives way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response
