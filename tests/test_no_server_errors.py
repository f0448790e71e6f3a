"""Hostile input on every URL of the project, as a citizen, a super admin and an operator: never a
server error, and a junk POST stores nothing.

The rule under test: bad input gets a clear message in the user's language and nothing is stored;
no 500. The URLs and the objects they name come from the access matrix, so a view is swept as
soon as it is in MATRIX. The Django test client re-raises a view's exception, so an unhandled
error fails the test with its traceback.

Query strings are sent twice over: every parameter at once with the same junk value, then each
parameter the view read on its own, because a view that refuses its first bad parameter never
reads the others.
"""

import functools
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import override

from accounts.models import User
from accounts.tests.test_access_matrix import MATRIX, _agency_a_objects
from agencies.models import Agency
from evaluations.models import Announcement, OperatorRequest, Recommendation
from standards.models import Service
from standards.tests import hostile_files
from surveys.models import Questionnaire, Response, SamplePopulation
from surveys.response_import import FIXED_COLUMNS

CLIENTS = ("anonymous", "super_admin", "operator_a")

QUERY_PARAMETERS = (
    "periode",
    "period",
    "opd",
    "q",
    "page",
    "order",
    "format",
    "dimensi",
    "status",
    "agency",
    "service",
    "from",
    "to",
    "start",
    "end",
    "next",
    "layanan",
    "overdue",
)
# label: value; the label names the input in a failure message without printing 5,000 characters.
JUNK_QUERY_VALUES = {
    "empty": "",
    "x": "x",
    "-1": "-1",
    "0": "0",
    "20 nines": "9" * 20,
    "2026-13-45": "2026-13-45",
    "9999-12-31": "9999-12-31",
    "2026-S9": "2026-S9",
    "../../etc/passwd": "../../etc/passwd",
    "<script>": "<script>",
    "NUL byte": "\x00",
    "5,000 characters": "x" * 5_000,
    "1e309": "1e309",
    "Arabic-Indic digit": "٣",
}

FORM_FIELDS = (
    "title",
    "findings",
    "due_date",
    "text",
    "note",
    "reason",
    "activity",
    "responsible",
    "target_date",
    "population",
    "service",
    "period",
    "start",
    "end",
    "name",
    "code",
    "kind",
    "email",
    "role",
    "agency",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
    "username",
    "category",
    "subject",
    "description",
    "status",
    "body",
    "audience",
    "agencies",
    "file",
    "hidden",
    "preset",
    "language",
    "next",
    "gender",
    "age",
    "education",
    "occupation",
    "suggestion",
    "token",
    "website",
    "q_waktu",
    "answers",
    "client_token",
    "element_code",
    # The questionnaire editor and the recommendation form post formsets.
    "version-name",
    "version-based_on",
    "element-TOTAL_FORMS",
    "element-INITIAL_FORMS",
    "element-0-code",
    "element-0-ORDER",
    "element-0-DELETE",
    "actions-TOTAL_FORMS",
    "actions-INITIAL_FORMS",
    "actions-0-element_code",
    "actions-0-text",
)
# The follow-up steps of an action prefix their fields with "a<pk>-<step>-".
ACTION_STEPS = ("plan", "progress", "complete", "verify", "return")
ACTION_FIELDS = ("activity", "responsible", "target_date", "note", "reason")
FILE_FIELDS = ("file", "attachment", "evidence")

JUNK_FORM_VALUES = {
    "x": "x",
    "-1": "-1",
    "2026-02-30": "2026-02-30",
    "9999-12-31": "9999-12-31",
    "<b>": "<b>",
    "10,000 characters": "x" * 10_000,
    "NUL byte": "\x00",
}
NOT_AN_OBJECT = ("[]", "null", "{")
# An object whose every value is of the wrong kind: NUL, an infinite age, lists, an 11-digit answer.
JUNK_OBJECT = (
    '{"service": "\\u0000", "gender": "\\u0000", "age": 1e400, "education": [], "occupation": {}, '
    '"answers": {"waktu": 99999999999999999999, "\\u0000": "x", "biaya": [4]}, "suggestion": "\\u0000", '
    '"client_token": "' + "x" * 10_000 + '", "agency": {"code": 1}, "from": "2026-02-30", "to": null}'
)
CATALOG_HEADER = ["kode_opd", "nama_opd", "kode_layanan", "nama_layanan"]
CATALOG_ROW = ["DINSOS", "Dinas Sosial", "SOS-DTKS", "Pendaftaran DTKS"]
FILES = {
    "0-byte file": ("kosong.pdf", b""),
    "file named ../../x.pdf": ("../../x.pdf", b"%PDF-1.4\n%%EOF\n"),
    "binary file named ../../x.csv": ("../../x.csv", b"\xff\xfe\x00kode_opd,nama_opd\n\x00,\xff\n"),
    "PDF with a JavaScript action": ("bukti.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (x) >> >>"),
    "PNG signature then HTML": ("foto.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>"),
    "long dotted name": ("a." * 150 + "pdf", b"%PDF-1.4\n%%EOF\n"),
    "DOCTYPE workbook": ("katalog.xlsx", hostile_files.doctype_xlsx(CATALOG_HEADER, CATALOG_ROW)),
}

# A junk POST stores none of these.
STORED = (
    Response,
    Recommendation,
    OperatorRequest,
    Announcement,
    Agency,
    Service,
    User,
    SamplePopulation,
    Questionnaire,
)
# "x", "2026-02-30" and "1e309" are a well-formed code and name for a service, and an operator's
# form has no agency to get wrong: the service is rightly stored.
STORES_WELL_FORMED = {("standards:service_create", "operator_a"): Service}


Send = Callable[..., object]


def _url(name: str, objects: dict) -> str:
    _method, kwargs, _expected = MATRIX[name]
    kwargs = {key: objects[value].pk if value in objects else value for key, value in kwargs.items()}
    return reverse(name, kwargs=kwargs)


def _get(url: str, query: str) -> Send:
    return lambda client: client.get(f"{url}?{query}" if query else url)


def _post(url: str, data, content_type: str | None = None) -> Send:
    if content_type is None:
        return lambda client: client.post(url, data)
    return lambda client: client.post(url, data, content_type=content_type)


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart body built by hand: the test client would send only the file's base name."""
    boundary = "hostile-boundary-7d1f"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content)
    return b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def query_inputs(url: str) -> Iterator[tuple[str, Send]]:
    yield "GET without parameters", _get(url, "")
    for label, value in JUNK_QUERY_VALUES.items():
        yield f"GET every parameter = {label}", _get(url, urlencode(dict.fromkeys(QUERY_PARAMETERS, value)))
    yield "GET every parameter twice", _get(url, urlencode([(p, v) for p in QUERY_PARAMETERS for v in ("x", "-1")]))
    yield "GET invalid UTF-8", _get(url, "&".join(f"{parameter}=%FF%FE" for parameter in QUERY_PARAMETERS))


def parameter_inputs(url: str, parameter: str) -> Iterator[tuple[str, Send]]:
    for label, value in JUNK_QUERY_VALUES.items():
        yield f"GET {parameter} = {label}", _get(url, urlencode({parameter: value}))
    yield f"GET {parameter} twice", _get(url, urlencode([(parameter, "x"), (parameter, "-1")]))


def post_inputs(url: str, action_pk: int) -> Iterator[tuple[str, Send]]:
    prefixed = tuple(f"a{action_pk}-{step}-{field}" for step in ACTION_STEPS for field in ACTION_FIELDS)
    fields = FORM_FIELDS + prefixed
    yield "POST empty body", _post(url, {})
    for label, value in JUNK_FORM_VALUES.items():
        yield f"POST every field = {label}", _post(url, dict.fromkeys(fields, value))
    yield "POST every field twice", _post(url, {field: ["x", "-1"] for field in fields})
    for text in NOT_AN_OBJECT:
        yield f"POST JSON {text}", _post(url, text, "application/json")
    yield "POST JSON object of junk", _post(url, JUNK_OBJECT, "application/json")
    yield "POST invalid UTF-8 JSON", _post(url, b'{"service": "\xff\xfe"}', "application/json")
    invalid = b"&".join(field.encode() + b"=\xff\xfe%FF" for field in fields)
    yield "POST invalid UTF-8 form", _post(url, invalid, "application/x-www-form-urlencoded")
    file_fields = (*FILE_FIELDS, *(f"a{action_pk}-progress-evidence", f"a{action_pk}-complete-evidence"))
    for label, file in FILES.items():
        text_fields = dict.fromkeys((field for field in fields if field not in file_fields), "x")
        body, content_type = _multipart(text_fields, dict.fromkeys(file_fields, file))
        yield f"POST multipart, {label}", _post(url, body, content_type)


@contextmanager
def _parameters_read() -> Iterator[set[str]]:
    """The query parameters the view looks up while the block runs (a QueryDict is mutable only
    while it is being built, and built from the whole query string)."""
    read: set[str] = set()

    def noting(method):
        def lookup(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and not self._mutable:
                read.add(key)
            return method(self, key, *args, **kwargs)

        return lookup

    with mock.patch.multiple(
        MultiValueDict,
        get=noting(MultiValueDict.get),
        getlist=noting(MultiValueDict.getlist),
        __getitem__=noting(MultiValueDict.__getitem__),
        __contains__=noting(dict.__contains__),
    ):
        yield read


def _stored() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in STORED}


def _signed_out(client) -> bool:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie is None or not cookie.value


class Sweep:
    """Sends the inputs of one URL as one client, checking each response."""

    def __init__(self, name: str, who: str, user, client_for):
        self.name, self.who, self.user, self.client_for = name, who, user, client_for
        self.client = client_for(user)
        self.sent = 0

    def send(self, label: str, send: Send, post: bool = False) -> None:
        where = f"{self.name} as {self.who}, {label}"
        cache.clear()  # the survey rate limit would turn later inputs into a plain refusal
        before = _stored() if post else None
        try:
            response = send(self.client)
        except Exception as exc:
            exc.add_note(where)  # the traceback stays; the note says which input raised it
            raise
        self.sent += 1
        assert response.status_code < 500, f"{where}: {response.status_code}"
        if post:
            after = _stored()
            if accepted := STORES_WELL_FORMED.get((self.name, self.who)):
                before.pop(accepted.__name__), after.pop(accepted.__name__)
            assert after == before, f"{where}: junk was stored"
        if self.user is not None and _signed_out(self.client):
            self.client = self.client_for(self.user)  # the logout URL signed us out


def _sweep(name: str, objects: dict, client_for) -> int:
    url = _url(name, objects)
    sent = 0
    for who in CLIENTS:
        sweep = Sweep(name, who, objects.get(who), client_for)
        with _parameters_read() as read:
            for label, send in query_inputs(url):
                sweep.send(label, send)
        for parameter in sorted(read):
            for label, send in parameter_inputs(url, parameter):
                sweep.send(label, send)
        for label, send in post_inputs(url, objects["action_a"].pk):
            sweep.send(label, send, post=True)
        sent += sweep.sent
    return sent


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_hostile_input_gets_no_server_error(name, client_for, actors, service_a, service_b, submit):
    objects = {**actors, **_agency_a_objects(actors, service_a, submit)}
    assert _sweep(name, objects, client_for) > 0


# --- Hostile spreadsheets at every import ------------------------------------------------------

# The paper import refuses each file before it looks at a single answer: the last column is
# the suggestion, which the long-cell files fill.
HOSTILE_SPREADSHEETS = sorted(hostile_files.REFUSALS)
IMPORTS = ("catalog upload", "paper upload", "import_services", "import_responses")


@functools.cache
def _hostile_spreadsheet(name: str, paper: bool) -> tuple[str, bytes]:
    if paper:
        codes = [element.code for element in Questionnaire.objects.get(is_current=True).elements.all()]
        header = [*FIXED_COLUMNS, *codes, "saran"]
        row = ["A-KTP", "2026-01-15", "P", "34", "sma", "wirausaha", *("4" for _ in codes), "Antre lama"]
    else:
        header, row = CATALOG_HEADER, CATALOG_ROW
    extension = (
        "csv" if "CSV" in name or name in {"repeated column name", "wrong header before 60,000 rows"} else "xlsx"
    )
    return f"hostile.{extension}", hostile_files.builders()[name](header, row)


def _import(entry: str, filename: str, data: bytes, client_for, super_admin, tmp_path) -> list[str]:
    """Send the file to one import, in English; the messages it answered with."""
    if entry.endswith("upload"):
        url = reverse("standards:catalog_upload" if entry == "catalog upload" else "paper:upload")
        client = client_for(super_admin)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(url, {"file": SimpleUploadedFile(filename, data)})
        assert response.status_code == 200
        with override("en"):  # a row error is worded when shown
            return [str(error) for error in response.context["errors"]]
    path = tmp_path / filename
    path.write_bytes(data)
    err = io.StringIO()
    with override("en"), pytest.raises(CommandError):
        call_command(entry, str(path), stdout=io.StringIO(), stderr=err)
    return [line for line in err.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize("entry", IMPORTS)
@pytest.mark.parametrize("name", HOSTILE_SPREADSHEETS)
def test_hostile_spreadsheet_gets_one_message_and_stores_nothing(
    name, entry, client_for, super_admin, service_a, questionnaire, tmp_path
):
    filename, data = _hostile_spreadsheet(name, paper=entry in {"paper upload", "import_responses"})
    before = _stored()

    row, words = hostile_files.REFUSALS[name]

    messages = _import(entry, filename, data, client_for, super_admin, tmp_path)

    assert len(messages) == 1, f"{name} at {entry}: {messages}"
    assert messages[0].startswith(f"Row {row}: ") and words in messages[0], messages[0]
    assert _stored() == before
