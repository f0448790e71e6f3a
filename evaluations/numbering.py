"""Letter numbers: the identity's pattern filled with a sequence that restarts each year and
never gives the same number twice, even when two evaluators issue at the same moment."""

from django.db import transaction
from django.db.models import F

from evaluations.models import LetterSequence


def letter_sequence_next(*, year: int) -> int:
    """The next sequence number of ``year``. Call inside the transaction that stores the letter:
    the counter row stays locked until it commits, so concurrent issues wait their turn, and a
    rolled-back issue gives its number back rather than leaving two letters with one number."""
    with transaction.atomic():
        LetterSequence.objects.get_or_create(year=year)
        LetterSequence.objects.filter(year=year).update(last=F("last") + 1)
        return LetterSequence.objects.select_for_update().get(year=year).last
