"""How complete a service's standard is, against the 14 components of PermenPANRB 15/2014.

Pure: reads the component fields of any object that has them (a ``Service``), touches no
database. The rule, component by component:

- **empty**: nothing but blanks;
- **too short to be real**: after folding case, blanks and surrounding punctuation, the text is
  a placeholder (``-``, ``belum ada``, ``tidak ada``, ``nihil``, ``menyusul``… see
  ``PLACEHOLDERS``), or it holds fewer than ``MIN_CHARACTERS`` (3) letters or digits. The
  number of staff is the one component a bare figure fills (``5``), so one digit is enough
  there, though ``0`` is still a placeholder. A service that is free says so in words
  (``Gratis``, ``Tidak dipungut biaya``): ``tidak ada`` alone is a placeholder;
- **filled**: anything else.

The score is the share of the 14 components that are filled, in whole per cent rounded half
up (6 of 14 → 43).
"""

import re
from dataclasses import dataclass

from standards.models import INTERNAL_COMPONENTS, PUBLIC_COMPONENTS

COMPONENTS = (*PUBLIC_COMPONENTS, *INTERNAL_COMPONENTS)
MIN_CHARACTERS = 3
# Components whose real content may be a bare figure, with the letters or digits it needs.
SHORT_COMPONENTS = {"staff_count": 1}
PLACEHOLDERS = frozenset(
    {
        "0",
        "na",
        "n a",
        "tbd",
        "todo",
        "xxx",
        "belum ada",
        "belum",
        "tidak ada",
        "tdk ada",
        "tiada",
        "nihil",
        "kosong",
        "belum diisi",
        "tidak diisi",
        "tidak tersedia",
        "belum tersedia",
        "menyusul",
        "akan diisi",
        "lihat lampiran",
        "dalam proses",
        "tidak diketahui",
    }
)

FILLED, EMPTY, TOO_SHORT = "filled", "empty", "too_short"
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Completeness:
    """Which components are filled, empty (``missing``) or too short to be real, each in the
    regulation's order, and the score (0–100)."""

    filled: tuple[str, ...]
    missing: tuple[str, ...]
    too_short: tuple[str, ...]
    score: int

    @property
    def total(self) -> int:
        return len(COMPONENTS)

    @property
    def lacking(self) -> tuple[str, ...]:
        """Empty or too short, in the regulation's order: what the agency still has to write."""
        return tuple(name for name in COMPONENTS if name in self.missing or name in self.too_short)

    @property
    def is_complete(self) -> bool:
        return len(self.filled) == len(COMPONENTS)


def component_status(text: str | None, *, component: str = "") -> str:
    """``FILLED``, ``EMPTY`` or ``TOO_SHORT`` for one component's text (the rule above)."""
    if text is None or not text.strip():
        return EMPTY
    folded = _NOT_WORD.sub(" ", text.casefold()).strip()
    if folded in PLACEHOLDERS:
        return TOO_SHORT
    characters = sum(1 for character in folded if character.isalnum())
    if characters < SHORT_COMPONENTS.get(component, MIN_CHARACTERS):
        return TOO_SHORT
    return FILLED


def score(filled: int, total: int = len(COMPONENTS)) -> int:
    """``filled`` of ``total`` in whole per cent, rounded half up."""
    return (200 * filled + total) // (2 * total)


def standard_completeness(service: object) -> Completeness:
    """The completeness of ``service``'s standard against the 14 components."""
    found: dict[str, list[str]] = {FILLED: [], EMPTY: [], TOO_SHORT: []}
    for name in COMPONENTS:
        found[component_status(getattr(service, name, ""), component=name)].append(name)
    return Completeness(
        filled=tuple(found[FILLED]),
        missing=tuple(found[EMPTY]),
        too_short=tuple(found[TOO_SHORT]),
        score=score(len(found[FILLED])),
    )
