"""The community satisfaction index (IKM) of PermenPANRB 14/2017, computed exactly.

Pure: standard library only, no Django. Input is tallies — for each element code,
how many responses gave each answer value 1..4 — so callers can feed per-day tallies
without scanning responses. Arithmetic is exact (``Fraction``); only what is shown is
rounded, half-up, to 2 decimals, and grades are read from the rounded score.

Elements nobody answered: such an element gets no NRR, score or grade, and the index
is taken over the answered elements alone, each weighted 1/(number of answered
elements). When every element is answered — the normal case, since the survey requires
every answer — this is exactly the weight 1/N of an N-element questionnaire. When
nothing is answered at all, the index, score and grade are ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

Tally = Mapping[int, int]
"""Answer value (1..4) -> number of responses that gave it, for one element."""

Tallies = Mapping[str, Tally]
"""Element code -> its tally."""

ANSWER_VALUES = (1, 2, 3, 4)

SCORE_SCALE = 25
"""score = index × 25, so an index of 1..4 reads as a score of 25..100."""

NATIONAL_ELEMENTS = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)
"""The nine elements of PermenPANRB 14/2017 (OKI's questionnaire adds ``maklumat``)."""

GRADE_A, GRADE_B, GRADE_C, GRADE_D = "A", "B", "C", "D"

GRADE_LABELS = {
    GRADE_A: "Sangat Baik",
    GRADE_B: "Baik",
    GRADE_C: "Kurang Baik",
    GRADE_D: "Tidak Baik",
}
"""Grade (mutu) -> performance (kinerja), in Indonesian as the regulation words it."""

GRADE_BANDS = (
    (Decimal("88.31"), GRADE_A),
    (Decimal("76.61"), GRADE_B),
    (Decimal("65.00"), GRADE_C),
    (Decimal("25.00"), GRADE_D),
)
"""(lowest rounded score of the band, grade), best band first; every band ends at 100.00
or just below the next band's lowest score."""

MIN_SCORE = Decimal("25.00")
MAX_SCORE = Decimal("100.00")


@dataclass(frozen=True)
class ElementResult:
    """One element: its NRR (mean answer) and its own grade by NRR × 25.

    ``nrr``, ``score``, ``grade`` and ``performance`` are ``None`` when nobody
    answered it.
    """

    code: str
    responses: int
    total: int
    nrr: Fraction | None
    score: Decimal | None
    grade: str | None
    performance: str | None


@dataclass(frozen=True)
class NationalResult:
    """The index over the nine national elements alone, comparable across Indonesia."""

    index: Fraction | None
    score: Decimal | None
    grade: str | None
    performance: str | None


@dataclass(frozen=True)
class IndexResult:
    """The index of one questionnaire over a set of responses.

    ``elements`` follow the questionnaire's order. ``weight`` is the exact weight of
    each answered element. ``index``, ``score``, ``grade``, ``performance`` and
    ``weight`` are ``None`` when nothing was answered. ``national`` is present exactly
    when the questionnaire contains all nine national elements.
    """

    respondents: int
    elements: tuple[ElementResult, ...]
    weight: Fraction | None
    index: Fraction | None
    score: Decimal | None
    grade: str | None
    performance: str | None
    national: NationalResult | None


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round exactly to ``places`` decimals, halves away from zero (88.305 -> 88.31)."""
    if places < 0:
        raise ValueError(f"places must be 0 or more, not {places}")
    scaled = Fraction(value) * 10**places
    magnitude = floor(abs(scaled) + Fraction(1, 2))
    sign = "-" if scaled < 0 and magnitude else ""
    # Built from a string so no Decimal context precision can round it a second time.
    return Decimal(f"{sign}{magnitude}E-{places}")


def classify(score: Decimal | Fraction) -> tuple[str, str]:
    """Return (grade, performance) for a score of 25..100.

    The score is first rounded half-up to 2 decimals, as the table is read on the shown
    score: 88.305 is 88.31 and therefore A.
    """
    shown = round_half_up(score)
    if not MIN_SCORE <= shown <= MAX_SCORE:
        raise ValueError(f"a score is between {MIN_SCORE} and {MAX_SCORE}, not {shown}")
    for lowest, grade in GRADE_BANDS:
        if shown >= lowest:
            return grade, GRADE_LABELS[grade]
    raise AssertionError("unreachable: the lowest band starts at the minimum score")


def compute_index(element_codes: Sequence[str], tallies: Tallies, respondents: int) -> IndexResult:
    """Compute NRRs, the index, its score and grade, and the national 9-element score.

    ``element_codes`` are the questionnaire's elements in order; ``tallies`` hold each
    element's answers. An element missing from ``tallies`` was answered by nobody.
    Codes that are not in the questionnaire are ignored, as tallies merged across
    questionnaire versions may carry elements a later version dropped.
    ``respondents`` is the number of responses.

    Raises ``ValueError`` for an empty questionnaire, a repeated code, an answer value
    outside 1..4, a negative count, or an element answered more often than there are
    respondents.
    """
    if not element_codes:
        raise ValueError("a questionnaire has at least one element")
    if len(set(element_codes)) != len(element_codes):
        raise ValueError(f"element codes repeat: {list(element_codes)}")
    if respondents < 0:
        raise ValueError(f"respondents cannot be negative: {respondents}")

    elements = tuple(_element_result(code, tallies.get(code, {}), respondents) for code in element_codes)
    weight, index = _weighted_index(elements)
    score, grade, performance = _shown(index)

    national = None
    if set(NATIONAL_ELEMENTS) <= set(element_codes):
        nine = [e for e in elements if e.code in NATIONAL_ELEMENTS]
        national_index = _weighted_index(nine)[1]
        national = NationalResult(national_index, *_shown(national_index))

    return IndexResult(
        respondents=respondents,
        elements=elements,
        weight=weight,
        index=index,
        score=score,
        grade=grade,
        performance=performance,
        national=national,
    )


def merge_tallies(tallies: Iterable[Tallies]) -> dict[str, dict[int, int]]:
    """Sum several tallies (e.g. one per day or per questionnaire version) into one."""
    merged: dict[str, dict[int, int]] = {}
    for tally in tallies:
        for code, counts in tally.items():
            into = merged.setdefault(code, {})
            for value, count in counts.items():
                _check_count(code, value, count)
                into[value] = into.get(value, 0) + count
    return merged


def minimum_sample(population: int) -> int:
    """Minimum respondents for a population of service users (Krejcie & Morgan).

    S = 3.841·N·0.25 ÷ (0.0025·(N−1) + 3.841·0.25), computed exactly and rounded
    half-up to a whole number: 100 -> 80, 1,000 -> 278, 10,000 -> 370,
    1,000,000 -> 384.
    """
    if population < 1:
        raise ValueError(f"the population is at least 1, not {population}")
    chi_square = Fraction("3.841")  # χ² for one degree of freedom at 95% confidence
    proportion = Fraction(1, 2)  # P = 0.5 gives the largest sample
    margin = Fraction(5, 100)  # d = 0.05
    variance = chi_square * proportion * (1 - proportion)
    sample = variance * population / (margin**2 * (population - 1) + variance)
    return int(round_half_up(sample, 0))


def _check_count(code: str, value: int, count: int) -> None:
    if value not in ANSWER_VALUES:
        raise ValueError(f"element {code!r}: answer {value!r} is not one of 1..4")
    if count < 0:
        raise ValueError(f"element {code!r}: count of answer {value} is negative: {count}")


def _element_result(code: str, tally: Tally, respondents: int) -> ElementResult:
    for value, count in tally.items():
        _check_count(code, value, count)
    responses = sum(tally.values())
    if responses > respondents:
        raise ValueError(f"element {code!r} has {responses} answers but there are only {respondents} respondents")
    total = sum(value * count for value, count in tally.items())
    if responses == 0:
        return ElementResult(code, 0, 0, None, None, None, None)
    nrr = Fraction(total, responses)
    score, grade, performance = _shown(nrr)
    return ElementResult(code, responses, total, nrr, score, grade, performance)


def _weighted_index(
    elements: Sequence[ElementResult],
) -> tuple[Fraction | None, Fraction | None]:
    nrrs = [e.nrr for e in elements if e.nrr is not None]
    if not nrrs:
        return None, None
    weight = Fraction(1, len(nrrs))
    return weight, sum((nrr * weight for nrr in nrrs), Fraction(0))


def _shown(
    index: Fraction | None,
) -> tuple[Decimal | None, str | None, str | None]:
    if index is None:
        return None, None, None
    score = round_half_up(index * SCORE_SCALE)
    grade, performance = classify(score)
    return score, grade, performance
