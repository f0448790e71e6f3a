"""The HTTP answer every issued PDF is sent in."""

from django.http import HttpResponse


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """``content`` as a PDF named ``filename``: shown in the browser when ``inline`` (posters,
    letters and forms people print at once), otherwise downloaded (reports kept as files)."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
