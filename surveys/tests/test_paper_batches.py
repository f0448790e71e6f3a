"""Paper batches: every import is one batch, a file cannot be imported twice, a form serial is
counted once, a batch is voided (and restored) in one action; blank answers are "not answered"."""

import datetime
import io
import re
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import override

from surveys.models import PaperBatch, RespondentTally, Response, Status
from surveys.response_import import ResponseImportError, responses_import_file
from surveys.selectors import Scope, results
from surveys.tallies import tallies_compare
from surveys.tests.test_import_responses import HEADER, OKI_CODES, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(service_a, service_b, questionnaire):
    return service_a, service_b


def import_file(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_responses", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_import(path):
    out, err = io.StringIO(), io.StringIO()
    with override("en"), pytest.raises(CommandError) as refused:
        call_command("import_responses", str(path), stdout=out, stderr=err)
    return str(refused.value), err.getvalue()


def counted():
    return RespondentTally.objects.filter(span="d").values_list("count", flat=True)


def test_an_import_is_a_batch_with_its_file_hash_and_rows_and_prints_its_number(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), row()])

    out, _err = import_file(path)

    batch = PaperBatch.objects.get()
    assert out.splitlines()[-1] == f"batch {batch.pk}"
    assert (batch.filename, batch.rows, len(batch.sha256)) == ("kertas.csv", 2, 64)
    assert set(Response.objects.values_list("batch", flat=True)) == {batch.pk}


def test_importing_the_same_file_again_is_refused_naming_the_batch_and_stores_nothing(services, tmp_path):
    path = write_csv(tmp_path / "kertas.csv", [HEADER, row(), row()])
    import_file(path)
    copy = tmp_path / "salinan.csv"
    copy.write_bytes(path.read_bytes())
    batch = PaperBatch.objects.get()
    day = timezone.localtime(batch.created_at).date().isoformat()

    error, lines = refused_import(copy)

    assert lines.strip() == f"Row 1: This file was already imported as batch {batch.pk} on {day}; nothing was stored."
    assert "nothing was imported" in error
    assert Response.objects.count() == 2
    assert PaperBatch.objects.count() == 1
    assert sum(counted()) == 2


def test_a_form_serial_already_imported_is_an_error_naming_the_row_and_the_batch(services, tmp_path):
    header = [*HEADER, "nomor_formulir"]
    import_file(write_csv(tmp_path / "a.csv", [header, [*row(), "F-001"], [*row(), "F-002"]]))
    batch = PaperBatch.objects.get()
    day = timezone.localtime(batch.created_at).date().isoformat()

    _error, lines = refused_import(
        write_csv(tmp_path / "b.csv", [header, [*row(), "F-003"], [*row(age="40"), "F-002"]])
    )

    assert lines.strip() == (
        f"Row 3: nomor_formulir: Form serial “F-002” was already imported in batch {batch.pk} on {day}."
    )
    assert Response.objects.count() == 2


def test_a_form_serial_twice_in_one_file_is_an_error(services, tmp_path):
    header = [*HEADER, "nomor_formulir"]

    _error, lines = refused_import(write_csv(tmp_path / "a.csv", [header, [*row(), "F-9"], [*row(), "F-9"]]))

    assert lines.strip() == "Row 3: nomor_formulir: Form serial “F-9” also appears on row 2."
    assert Response.objects.count() == 0


def test_void_responses_voids_a_whole_batch_and_restore_counts_it_again(services, tmp_path):
    service_a, _service_b = services
    import_file(write_csv(tmp_path / "baik.csv", [HEADER, row(answers="4")]))
    out, _err = import_file(write_csv(tmp_path / "buruk.csv", [HEADER, row(answers="1"), row(answers="1")]))
    batch = int(re.fullmatch(r"batch (\d+)", out.splitlines()[-1]).group(1))
    assert results(scope=Scope(service=service_a)).index.score == 50

    void_out = io.StringIO()
    with override("en"):
        call_command("void_responses", "--batch", str(batch), "--reason", "Typed twice", stdout=void_out)

    assert f"Batch {batch}: 2 responses voided" in void_out.getvalue()
    assert results(scope=Scope(service=service_a)).index.score == 100
    assert set(Response.objects.filter(batch=batch).values_list("status", "status_reason")) == {
        (Status.VOID, "Typed twice")
    }
    assert tallies_compare() == []

    call_command(
        "void_responses", "--batch", str(batch), "--reason", "Was right after all", "--restore", stdout=io.StringIO()
    )

    assert results(scope=Scope(service=service_a)).index.score == 50
    assert tallies_compare() == []


def test_void_responses_names_an_unknown_batch(db):
    with override("en"), pytest.raises(CommandError, match=re.escape("There is no batch 99.")):
        call_command("void_responses", "--batch", "99", "--reason", "x", stdout=io.StringIO())


def test_after_voiding_a_batch_its_serials_may_be_entered_again_but_restoring_it_then_is_refused(services, tmp_path):
    header = [*HEADER, "nomor_formulir"]
    import_file(write_csv(tmp_path / "a.csv", [header, [*row(answers="2"), "F-1"]]))
    first = PaperBatch.objects.get()
    call_command("void_responses", "--batch", str(first.pk), "--reason", "wrong answers", stdout=io.StringIO())

    import_file(write_csv(tmp_path / "b.csv", [header, [*row(answers="3"), "F-1"]]))

    with override("en"), pytest.raises(CommandError, match=re.escape("Form serial already counted: F-1.")):
        call_command("void_responses", "--batch", str(first.pk), "--reason", "undo", "--restore", stdout=io.StringIO())
    assert sum(counted()) == 1


def test_blank_zero_and_dash_are_not_answered_and_each_nrr_is_over_those_who_answered(services, tmp_path):
    service_a, _service_b = services
    path = write_csv(
        tmp_path / "kosong.csv",
        [
            HEADER,
            row(answers="4", waktu=""),
            row(answers="3", waktu="0", biaya="-"),
            row(answers="2"),
        ],
    )

    import_file(path)

    found = results(scope=Scope(service=service_a))
    elements = {e.code: e for e in found.index.elements}
    assert found.respondents == 3
    assert (elements["waktu"].responses, elements["waktu"].nrr) == (1, Fraction(2))
    assert (elements["biaya"].responses, elements["biaya"].nrr) == (2, Fraction(4 + 2, 2))
    assert (elements["persyaratan"].responses, elements["persyaratan"].nrr) == (3, Fraction(9, 3))
    by_hand = (Fraction(9, 3) * 8 + Fraction(2) + Fraction(3)) / 10  # eight full elements, waktu, biaya
    assert found.index.index == by_hand
    assert "waktu" not in Response.objects.order_by("pk").first().answers
    assert tallies_compare() == []


def test_a_row_with_no_answer_at_all_is_refused(services, tmp_path):
    _error, lines = refused_import(write_csv(tmp_path / "kosong.csv", [HEADER, row(), row(answers="")]))

    assert lines.strip() == "Row 3: No element is answered."
    assert Response.objects.count() == 0


def test_dibantu_marks_assisted_respondents_and_refuses_other_words(services, tmp_path):
    header = [*HEADER, "dibantu"]
    import_file(write_csv(tmp_path / "a.csv", [header, [*row(), "ya"], [*row(), "tidak"], [*row(), ""]]))
    assert sorted(Response.objects.values_list("assisted", flat=True)) == [False, False, True]

    _error, lines = refused_import(write_csv(tmp_path / "b.csv", [header, [*row(), "mungkin"]]))
    assert lines.strip() == "Row 2: dibantu: “mungkin” is not “ya” or “tidak”."


def test_the_web_upload_refuses_the_same_file_twice(client_for, operator_a, services):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    content = ("\n".join(",".join(values) for values in [HEADER, row()]) + "\n").encode()
    client = client_for(operator_a)
    client.cookies["django_language"] = "en"
    client.post(reverse("paper:upload"), {"file": SimpleUploadedFile("a.csv", content)})
    batch = PaperBatch.objects.get()
    assert (batch.created_by, batch.agency) == (operator_a, operator_a.agency)

    again = client.post(reverse("paper:upload"), {"file": SimpleUploadedFile("b.csv", content)})

    assert f"This file was already imported as batch {batch.pk} on" in again.text
    assert Response.objects.count() == 1


def test_the_service_refuses_a_repeat_without_touching_the_database(services):
    data = ("\n".join(",".join(values) for values in [HEADER, row()]) + "\n").encode()
    responses_import_file(file=io.BytesIO(data), filename="a.csv")
    with pytest.raises(ResponseImportError):
        responses_import_file(file=io.BytesIO(data), filename="a.csv")
    assert Response.objects.count() == 1
    assert OKI_CODES[0] in Response.objects.get().answers
    assert datetime.date.fromisoformat(row()[1]) == Response.objects.get().day
