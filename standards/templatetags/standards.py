import re

from django import template

register = template.Library()

_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)]|[a-z][.)])\s+")


@register.filter
def lines(text: str) -> list[str]:
    """Split a multi-line standard component into its items, without typed bullets or numbers,
    so the page can show them as a real list."""
    return [_BULLET.sub("", line).strip() for line in (text or "").splitlines() if line.strip()]
