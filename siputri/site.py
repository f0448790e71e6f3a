"""The public address of the site (SITE_URL), for everything that leaves it: QR codes, printed
links, enrolment links and emails. Never the host a request happened to use: a staff member on
an internal name or an IP address would otherwise print posters nobody outside can open."""

from urllib.parse import urlencode

from django.conf import settings


def public_url(path: str, **query: str) -> str:
    """``path`` (absolute, starting with ``/``) on SITE_URL, with an optional query."""
    return settings.SITE_URL.rstrip("/") + path + ("?" + urlencode(query) if query else "")
