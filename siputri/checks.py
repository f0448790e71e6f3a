"""Start-up checks of the deployment: what `manage.py check --deploy` reports."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", ""}  # noqa: S104


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Every QR code, printed link, kiosk enrolment link and email carries SITE_URL: in
    production it must be set, and to an address citizens can reach."""
    if settings.DEBUG:
        return []
    host = urlsplit(settings.SITE_URL).hostname or ""
    if "SITE_URL" not in os.environ or host in _LOCAL_HOSTS:
        state = "SITE_URL is not set" if "SITE_URL" not in os.environ else f"SITE_URL is {settings.SITE_URL!r}"
        return [
            Warning(
                f"{state}: posters, printed forms, kiosk enrolment links and emails would point to an "
                "address citizens cannot open.",
                hint="Set SITE_URL to the public address, e.g. https://skm.okikab.go.id",
                id="siputri.W001",
            )
        ]
    if urlsplit(settings.SITE_URL).scheme != "https":
        return [
            Warning(
                f"SITE_URL {settings.SITE_URL!r} is not https: printed QR codes would open the site unencrypted.",
                hint="Use the https:// address the site is served on.",
                id="siputri.W002",
            )
        ]
    return []
