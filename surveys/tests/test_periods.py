import datetime

import pytest
from django.utils import translation

from surveys import periods
from surveys.periods import PeriodError, parse


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2026", (2026, 1, 1), (2026, 12, 31)),
        ("2026-S1", (2026, 1, 1), (2026, 6, 30)),
        ("2026-S2", (2026, 7, 1), (2026, 12, 31)),
        ("2026-T1", (2026, 1, 1), (2026, 3, 31)),
        ("2024-T1", (2024, 1, 1), (2024, 3, 31)),
        ("2026-T2", (2026, 4, 1), (2026, 6, 30)),
        ("2026-T3", (2026, 7, 1), (2026, 9, 30)),
        ("2026-T4", (2026, 10, 1), (2026, 12, 31)),
        ("2026-02-01..2026-02-28", (2026, 2, 1), (2026, 2, 28)),
    ],
)
def test_periods_cover_the_right_days(key, start, end):
    period = parse(key)
    assert (period.start, period.end) == (datetime.date(*start), datetime.date(*end))
    assert parse(period.key) == period


@pytest.mark.parametrize(
    "key", ["", "26", "2026-S3", "2026-T5", "2026-Q1", "1999", "2026-02-30..2026-03-01", "x" * 500]
)
def test_bad_periods_are_refused_with_a_message(key):
    with pytest.raises(PeriodError) as caught:
        parse(key)
    assert str(caught.value)


@pytest.mark.parametrize("key", ["1999-12-31..2026-01-01", "2026-01-01..9999-12-31", "0001-01-01..0001-01-02"])
def test_a_range_outside_the_supported_years_is_refused(key):
    with translation.override("en"), pytest.raises(PeriodError, match="between 2000 and 2100"):
        parse(key)


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(PeriodError):
        parse("2026-03-01..2026-02-01")


def test_labels_use_the_indonesian_names_by_default():
    with translation.override("id"):
        assert parse("2026-S1").label == "Semester I 2026"
        assert parse("2026-T3").label == "Triwulan III 2026"
        assert parse("2026").label == "Tahun 2026"
    with translation.override("en"):
        assert parse("2026-T3").label == "Quarter III 2026"


def test_the_current_period_is_provisional_and_a_past_one_is_not():
    assert periods.current_semester().is_provisional
    assert not parse("2020-S1").is_provisional


def test_choices_list_each_year_with_its_semesters_and_quarters_newest_first():
    keys = [p.key for p in periods.choices(range(2025, 2027))]
    assert keys[:7] == ["2026", "2026-S2", "2026-S1", "2026-T4", "2026-T3", "2026-T2", "2026-T1"]
    assert len(keys) == 14
