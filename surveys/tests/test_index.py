import re
from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.index import (
    GRADE_LABELS,
    NATIONAL_ELEMENTS,
    classify,
    compute_index,
    merge_tallies,
    minimum_sample,
    round_half_up,
)

OKI_ELEMENTS = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "maklumat",
    "pengaduan",
    "sarana",
)

WORKED_EXAMPLE_TOTALS = (105, 101, 100, 116, 102, 105, 106, 105, 115)


def tally_for_total(total: int, responses: int) -> dict[int, int]:
    """A tally of `responses` answers of 1..4 whose scores add up to `total`."""
    extra = total - responses
    assert 0 <= extra <= 3 * responses
    fours, remainder = divmod(extra, 3)
    tally = Counter({4: fours})
    if remainder:
        tally[1 + remainder] += 1
    tally[1] += responses - sum(tally.values())
    assert sum(tally.values()) == responses
    assert sum(value * count for value, count in tally.items()) == total
    return {value: count for value, count in tally.items() if count}


def same_tally_everywhere(codes: Sequence[str], total: int, responses: int) -> dict[str, dict[int, int]]:
    return {code: tally_for_total(total, responses) for code in codes}


def tally_responses(responses: list[dict[str, int]]) -> dict[str, dict[int, int]]:
    tallies: dict[str, dict[int, int]] = {}
    for response in responses:
        for code, value in response.items():
            counts = tallies.setdefault(code, {})
            counts[value] = counts.get(value, 0) + 1
    return tallies


def naive_index(codes: Sequence[str], responses: list[dict[str, int]]) -> Fraction | None:
    """The regulation read literally: average each element, then weight them equally."""
    nrrs = []
    for code in codes:
        answers = [r[code] for r in responses if code in r]
        if answers:
            nrrs.append(Fraction(sum(answers), len(answers)))
    if not nrrs:
        return None
    return sum(nrrs, Fraction(0)) / len(nrrs)


# The worked example of DESIGN.md


def test_worked_example_scores_91_48_grade_a() -> None:
    tallies = {
        code: tally_for_total(total, 29) for code, total in zip(NATIONAL_ELEMENTS, WORKED_EXAMPLE_TOTALS, strict=True)
    }

    result = compute_index(NATIONAL_ELEMENTS, tallies, respondents=29)

    assert result.respondents == 29
    assert result.index == Fraction(955, 261)
    assert result.score == Decimal("91.48")
    assert (result.grade, result.performance) == ("A", "Sangat Baik")


def test_worked_example_elements_in_questionnaire_order_with_own_grades() -> None:
    tallies = {
        code: tally_for_total(total, 29) for code, total in zip(NATIONAL_ELEMENTS, WORKED_EXAMPLE_TOTALS, strict=True)
    }

    result = compute_index(NATIONAL_ELEMENTS, tallies, respondents=29)

    assert [e.code for e in result.elements] == list(NATIONAL_ELEMENTS)
    assert [e.responses for e in result.elements] == [29] * 9
    assert [e.total for e in result.elements] == list(WORKED_EXAMPLE_TOTALS)
    assert [e.nrr for e in result.elements] == [Fraction(t, 29) for t in WORKED_EXAMPLE_TOTALS]
    assert [str(e.score) for e in result.elements] == [
        "90.52",
        "87.07",
        "86.21",
        "100.00",
        "87.93",
        "90.52",
        "91.38",
        "90.52",
        "99.14",
    ]
    assert [e.grade for e in result.elements] == list("ABBABAAAA")
    assert result.elements[1].performance == "Baik"


# Whole scores


@pytest.mark.parametrize("codes", [OKI_ELEMENTS, NATIONAL_ELEMENTS], ids=["10", "9"])
def test_perfect_survey_scores_exactly_100(codes: Sequence[str]) -> None:
    result = compute_index(codes, same_tally_everywhere(codes, 4 * 7, 7), respondents=7)

    assert result.index == 4
    assert result.score == Decimal("100.00")
    assert str(result.score) == "100.00"
    assert result.grade == "A"


@pytest.mark.parametrize("codes", [OKI_ELEMENTS, NATIONAL_ELEMENTS], ids=["10", "9"])
def test_weight_is_exactly_one_over_the_number_of_elements(
    codes: Sequence[str],
) -> None:
    result = compute_index(codes, same_tally_everywhere(codes, 12, 4), respondents=4)

    assert result.weight == Fraction(1, len(codes))


def test_all_lowest_answers_score_25_grade_d() -> None:
    result = compute_index(OKI_ELEMENTS, same_tally_everywhere(OKI_ELEMENTS, 3, 3), respondents=3)

    assert result.index == 1
    assert str(result.score) == "25.00"
    assert (result.grade, result.performance) == ("D", "Tidak Baik")
    assert {e.grade for e in result.elements} == {"D"}


# The grade table, on the rounded score


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_table_boundaries(score: str, grade: str) -> None:
    assert classify(Decimal(score)) == (grade, GRADE_LABELS[grade])


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("88.305", "A"),
        ("88.3049", "B"),
        ("76.605", "B"),
        ("76.6049", "C"),
        ("64.995", "C"),
        ("64.9949", "D"),
    ],
)
def test_half_up_rounding_decides_the_band(score: str, grade: str) -> None:
    assert classify(Decimal(score))[0] == grade
    assert classify(Fraction(score))[0] == grade


@pytest.mark.parametrize("score", ["24.99", "100.01", "0", "-25"])
def test_score_outside_25_to_100_cannot_be_classified(score: str) -> None:
    with pytest.raises(ValueError, match=re.escape("between 25.00 and 100.00")):
        classify(Decimal(score))


def test_grade_labels_are_the_regulation_wording() -> None:
    assert GRADE_LABELS == {
        "A": "Sangat Baik",
        "B": "Baik",
        "C": "Kurang Baik",
        "D": "Tidak Baik",
    }


# Every element has 5,000 (or 10,000) answers with the same sum, so the index equals the
# element NRR and the exact score lands on, or just under, a rounding half.
@pytest.mark.parametrize(
    ("total", "responses", "score", "grade"),
    [
        (17661, 5000, "88.31", "A"),  # exactly 88.305
        (35321, 10000, "88.30", "B"),  # exactly 88.3025
        (15321, 5000, "76.61", "B"),  # exactly 76.605
        (30641, 10000, "76.60", "C"),  # exactly 76.6025
        (12999, 5000, "65.00", "C"),  # exactly 64.995
        (25997, 10000, "64.99", "D"),  # exactly 64.9925
    ],
)
def test_real_tallies_on_a_rounding_half_are_graded_on_the_rounded_score(
    total: int, responses: int, score: str, grade: str
) -> None:
    tallies = same_tally_everywhere(OKI_ELEMENTS, total, responses)

    result = compute_index(OKI_ELEMENTS, tallies, respondents=responses)

    assert result.index == Fraction(total, responses)
    assert str(result.score) == score
    assert result.grade == grade
    assert {e.grade for e in result.elements} == {grade}
    assert {str(e.score) for e in result.elements} == {score}


def test_score_uses_exact_nrrs_not_rounded_ones() -> None:
    # Three NRRs of 10/3: rounded to 3.33 first they would score 83.25, exactly 83.33.
    codes = ("a", "b", "c")
    result = compute_index(codes, same_tally_everywhere(codes, 10, 3), respondents=3)

    assert result.index == Fraction(10, 3)
    assert str(result.score) == "83.33"


# The national 9-element score


def test_oki_questionnaire_reports_national_score_over_the_nine_alone() -> None:
    tallies = {
        code: tally_for_total(total, 29) for code, total in zip(NATIONAL_ELEMENTS, WORKED_EXAMPLE_TOTALS, strict=True)
    }
    tallies["maklumat"] = {2: 29}

    result = compute_index(OKI_ELEMENTS, tallies, respondents=29)

    # (955 + 58) / 29 / 10 = 1013/290 → 87.3276 → 87.33 B
    assert result.weight == Fraction(1, 10)
    assert result.index == Fraction(1013, 290)
    assert str(result.score) == "87.33"
    assert result.grade == "B"
    assert result.elements[7].code == "maklumat"
    # 955 / 29 / 9 → 91.4751 → 91.48 A, as in the worked example
    assert result.national is not None
    assert result.national.index == Fraction(955, 261)
    assert str(result.national.score) == "91.48"
    assert (result.national.grade, result.national.performance) == ("A", "Sangat Baik")


def test_maklumat_can_lift_the_local_grade_above_the_national_one() -> None:
    tallies = same_tally_everywhere(NATIONAL_ELEMENTS, 3 * 20, 20)
    tallies["maklumat"] = {4: 20}

    result = compute_index(OKI_ELEMENTS, tallies, respondents=20)

    # (9 × 3 + 4) / 10 = 3.1 → 77.50 B; nine threes → 75.00 C
    assert (str(result.score), result.grade) == ("77.50", "B")
    assert result.national is not None
    assert (str(result.national.score), result.national.grade) == ("75.00", "C")


def test_national_questionnaire_national_score_equals_main_score() -> None:
    tallies = {
        code: tally_for_total(total, 29) for code, total in zip(NATIONAL_ELEMENTS, WORKED_EXAMPLE_TOTALS, strict=True)
    }

    result = compute_index(tuple(reversed(NATIONAL_ELEMENTS)), tallies, respondents=29)

    assert result.national is not None
    assert result.national.index == result.index
    assert result.national.score == result.score
    assert result.national.grade == result.grade
    assert result.national.performance == result.performance


@pytest.mark.parametrize("missing", NATIONAL_ELEMENTS)
def test_no_national_score_when_a_national_element_is_missing(missing: str) -> None:
    codes = tuple(code for code in OKI_ELEMENTS if code != missing)

    result = compute_index(codes, same_tally_everywhere(codes, 30, 10), respondents=10)

    assert result.score == Decimal("75.00")
    assert result.national is None


def test_custom_questionnaire_with_extra_elements_still_reports_national() -> None:
    codes = (*OKI_ELEMENTS, "kebersihan")
    tallies = same_tally_everywhere(NATIONAL_ELEMENTS, 40, 10)
    tallies["maklumat"] = {1: 10}
    tallies["kebersihan"] = {1: 10}

    result = compute_index(codes, tallies, respondents=10)

    # (9 × 4 + 1 + 1) / 11 = 38/11 → 86.3636 → 86.36 B
    assert (str(result.score), result.grade) == ("86.36", "B")
    assert result.national is not None
    assert (str(result.national.score), result.national.grade) == ("100.00", "A")


# Nothing, or part of it, answered


def test_no_respondents_gives_no_index_and_no_grade() -> None:
    result = compute_index(OKI_ELEMENTS, {}, respondents=0)

    assert result.respondents == 0
    assert (result.index, result.score, result.grade, result.performance) == (
        None,
        None,
        None,
        None,
    )
    assert result.weight is None
    assert [e.code for e in result.elements] == list(OKI_ELEMENTS)
    assert {(e.responses, e.total, e.nrr, e.score, e.grade) for e in result.elements} == {(0, 0, None, None, None)}
    assert result.national is not None
    assert (result.national.index, result.national.score, result.national.grade) == (
        None,
        None,
        None,
    )


def test_element_nobody_answered_is_left_out_of_the_index() -> None:
    tallies = same_tally_everywhere(NATIONAL_ELEMENTS, 30, 10)
    tallies["maklumat"] = dict.fromkeys((1, 2, 3, 4), 0)

    result = compute_index(OKI_ELEMENTS, tallies, respondents=10)

    maklumat = result.elements[7]
    assert (maklumat.responses, maklumat.nrr, maklumat.score, maklumat.grade) == (
        0,
        None,
        None,
        None,
    )
    assert result.weight == Fraction(1, 9)
    assert result.index == 3
    assert str(result.score) == "75.00"


def test_element_answered_by_fewer_respondents_averages_over_its_own_answers() -> None:
    tallies = same_tally_everywhere(NATIONAL_ELEMENTS, 40, 10)
    tallies["maklumat"] = {2: 4}

    result = compute_index(OKI_ELEMENTS, tallies, respondents=10)

    assert result.elements[7].nrr == 2
    assert result.index == Fraction(9 * 4 + 2, 10)


def test_tally_codes_outside_the_questionnaire_are_ignored() -> None:
    tallies = same_tally_everywhere(NATIONAL_ELEMENTS, 40, 10)
    tallies["dropped_in_v2"] = {1: 10}

    result = compute_index(NATIONAL_ELEMENTS, tallies, respondents=10)

    assert result.score == Decimal("100.00")
    assert "dropped_in_v2" not in [e.code for e in result.elements]


# Bad input


@pytest.mark.parametrize(
    ("codes", "tallies", "respondents", "message"),
    [
        ((), {}, 0, "at least one element"),
        (("a", "b", "a"), {}, 0, "repeat"),
        (("a",), {}, -1, "cannot be negative"),
        (("a",), {"a": {5: 1}}, 1, "answer 5 is not one of 1..4"),
        (("a",), {"a": {0: 1}}, 1, "answer 0 is not one of 1..4"),
        (("a",), {"a": {3: -1}}, 1, "negative"),
        (("a",), {"a": {3: 4}}, 3, "4 answers but there are only 3 respondents"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    codes: Sequence[str],
    tallies: dict[str, dict[int, int]],
    respondents: int,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        compute_index(codes, tallies, respondents)


# Rounding


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(88305, 1000), 2, "88.31"),
        (Decimal("88.30499"), 2, "88.30"),
        (Decimal("76.605"), 2, "76.61"),
        (Fraction(1, 3), 2, "0.33"),
        (Fraction(2, 3), 2, "0.67"),
        (Decimal(100), 2, "100.00"),
        (Fraction(-5, 1000), 2, "-0.01"),
        (Fraction(-1, 1000), 2, "0.00"),
        (Decimal("79.5"), 0, "80"),
        (Decimal("79.49"), 0, "79"),
        (Fraction(35321, 10000), 4, "3.5321"),
    ],
)
def test_round_half_up(value: Fraction | Decimal, places: int, expected: str) -> None:
    assert str(round_half_up(value, places)) == expected


def test_round_half_up_refuses_negative_places() -> None:
    with pytest.raises(ValueError, match="places"):
        round_half_up(Fraction(1, 2), -1)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6))
def test_round_half_up_agrees_with_decimal_round_half_up(value: Decimal) -> None:
    assert round_half_up(value) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(st.fractions())
def test_round_half_up_is_within_half_a_cent(value: Fraction) -> None:
    rounded = Fraction(round_half_up(value))
    assert abs(rounded - value) <= Fraction(1, 200)
    if abs(rounded - value) == Fraction(1, 200):
        assert abs(rounded) > abs(value)


# Sample size (Krejcie & Morgan)


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (1, 1),
        (10, 10),
        (50, 44),
        (100, 80),
        (500, 217),
        (1_000, 278),
        (10_000, 370),
        (1_000_000, 384),
    ],
)
def test_minimum_sample_follows_krejcie_morgan(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample


def test_minimum_sample_never_falls_as_population_grows() -> None:
    samples = [minimum_sample(n) for n in range(1, 5001)]
    assert samples == sorted(samples)


@given(st.integers(min_value=1, max_value=10**12))
def test_minimum_sample_is_at_most_the_population_and_384(population: int) -> None:
    sample = minimum_sample(population)
    assert 1 <= sample <= min(population, 384)
    assert minimum_sample(population + 1) >= sample


@pytest.mark.parametrize("population", [0, -1])
def test_minimum_sample_needs_a_population(population: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        minimum_sample(population)


# Merging tallies


def test_merge_tallies_sums_counts_per_element_and_answer() -> None:
    day_one = {"waktu": {4: 2, 3: 1}, "biaya": {4: 3}}
    day_two = {"waktu": {4: 1, 1: 1}, "sarana": {2: 2}}

    assert merge_tallies([day_one, day_two]) == {
        "waktu": {4: 3, 3: 1, 1: 1},
        "biaya": {4: 3},
        "sarana": {2: 2},
    }
    assert merge_tallies([]) == {}


def test_merge_tallies_refuses_bad_answers() -> None:
    with pytest.raises(ValueError, match="answer 7"):
        merge_tallies([{"waktu": {7: 1}}])


# Properties against a literal recomputation from individual responses

CODES = st.lists(
    st.text(alphabet="abcdefghij", min_size=1, max_size=3),
    min_size=1,
    max_size=12,
    unique=True,
)


@st.composite
def surveys(draw: st.DrawFn, all_answered: bool = False) -> tuple[list[str], list[dict[str, int]]]:
    codes = draw(CODES)
    answer = st.integers(min_value=1, max_value=4)
    if all_answered:
        response = st.fixed_dictionaries(dict.fromkeys(codes, answer))
    else:
        response = st.dictionaries(st.sampled_from(codes), answer)
    responses = draw(st.lists(response, min_size=1, max_size=60))
    return codes, responses


@given(surveys(all_answered=True))
def test_index_matches_literal_recomputation(
    survey: tuple[list[str], list[dict[str, int]]],
) -> None:
    codes, responses = survey

    result = compute_index(codes, tally_responses(responses), len(responses))

    assert result.index is not None
    assert result.index == naive_index(codes, responses)
    assert result.weight == Fraction(1, len(codes))
    assert 1 <= result.index <= 4
    assert result.score is not None
    assert Decimal("25.00") <= result.score <= Decimal("100.00")
    assert result.score == round_half_up(result.index * 25)
    assert (result.grade, result.performance) == classify(result.score)
    for element in result.elements:
        answers = [r[element.code] for r in responses]
        assert element.responses == len(answers)
        assert element.total == sum(answers)
        assert element.nrr == Fraction(sum(answers), len(answers))
        assert element.score == round_half_up(element.nrr * 25)


@given(surveys())
def test_index_with_skipped_answers_matches_literal_recomputation(
    survey: tuple[list[str], list[dict[str, int]]],
) -> None:
    codes, responses = survey

    result = compute_index(codes, tally_responses(responses), len(responses))

    assert result.index == naive_index(codes, responses)
    if result.index is None:
        assert (result.score, result.grade) == (None, None)
    else:
        assert 1 <= result.index <= 4
        assert result.score == round_half_up(result.index * 25)


@given(
    st.lists(
        st.fixed_dictionaries({code: st.integers(min_value=1, max_value=4) for code in OKI_ELEMENTS}),
        min_size=1,
        max_size=40,
    )
)
def test_national_score_matches_literal_recomputation_over_the_nine(
    responses: list[dict[str, int]],
) -> None:
    result = compute_index(OKI_ELEMENTS, tally_responses(responses), len(responses))

    national = naive_index(NATIONAL_ELEMENTS, responses)
    assert national is not None
    assert result.national is not None
    assert result.national.index == national
    assert result.national.score == round_half_up(national * 25)
    assert result.index == naive_index(OKI_ELEMENTS, responses)


@given(surveys(), st.data())
def test_merged_tallies_give_the_same_index_as_one_tally(
    survey: tuple[list[str], list[dict[str, int]]], data: st.DataObject
) -> None:
    codes, responses = survey
    cut = data.draw(st.integers(min_value=0, max_value=len(responses)))
    parts = [responses[:cut], responses[cut:]]

    merged = merge_tallies(tally_responses(part) for part in parts)

    assert merged == tally_responses(responses)
    assert compute_index(codes, merged, len(responses)) == compute_index(
        codes, tally_responses(responses), len(responses)
    )
