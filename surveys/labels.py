"""How results are named and grouped for people: the performance label of each grade and the
respondent-profile dimensions, shared by the staff pages, the public pages, charts and PDFs."""

from fractions import Fraction

from django.utils.translation import gettext_lazy, pgettext_lazy

from surveys.index import round_half_up
from surveys.models import AGE_GROUPS, Channel, Education, Gender, Occupation

PERFORMANCE = {
    "A": pgettext_lazy("performance", "Very good"),
    "B": pgettext_lazy("performance", "Good"),
    "C": pgettext_lazy("performance", "Not good"),
    "D": pgettext_lazy("performance", "Poor"),
}
"""Grade (mutu) → performance (kinerja) in the reader's language; surveys.index.GRADE_LABELS
holds the regulation's Indonesian wording for data interfaces."""

HOLD_RULES = {
    "pattern_burst": gettext_lazy("Many identical answer sets in a short time"),
    "rate_burst": gettext_lazy("A burst far above the service's usual rate, far from its usual answers"),
    "device_repeat": gettext_lazy("Another response from the same device for this service the same day"),
    "address_burst": gettext_lazy("Many submissions without the device cookie from one address"),
    "failure_pattern": gettext_lazy("From an address that failed the honeypot or form token repeatedly"),
    "cache_down": gettext_lazy("The limits could not be checked (cache unreachable)"),
    "manual": gettext_lazy("Put on hold by staff"),
}
"""Why a response was held, by the rule name it records (README "Survey limits and review")."""

PROFILE_DIMENSIONS = (
    ("gender", gettext_lazy("Gender"), Gender.choices),
    ("age_group", gettext_lazy("Age (years)"), [(f"{low}-{high}", f"{low}–{high}") for low, high in AGE_GROUPS]),
    ("education", gettext_lazy("Education"), Education.choices),
    ("occupation", gettext_lazy("Occupation"), Occupation.choices),
    ("channel", gettext_lazy("Channel"), Channel.choices),
    (
        "assisted",
        gettext_lazy("Help from staff"),
        [("ya", gettext_lazy("Helped by staff")), ("tidak", gettext_lazy("Not helped"))],
    ),
)


def profile_tables(profile: dict[str, dict[str, int]]) -> list[dict]:
    """Each profile dimension as a table: every known category (zero included), then any other
    value found, with its count and share in percent (one decimal)."""
    tables = []
    for dimension, title, choices in PROFILE_DIMENSIONS:
        counts = profile.get(dimension, {})
        total = sum(counts.values())
        known = [value for value, _label in choices]
        labelled = [*choices, *((value, value) for value in sorted(counts) if value not in known)]
        rows = [
            {
                "label": label,
                "count": counts.get(value, 0),
                "percent": round_half_up(Fraction(100 * counts.get(value, 0), total), 1) if total else None,
            }
            for value, label in labelled
        ]
        tables.append({"dimension": dimension, "title": title, "rows": rows, "total": total})
    return tables
