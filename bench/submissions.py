"""The submission benchmark: gunicorn serving the app on the loopback interface, and a fixed
number of survey submissions sent by concurrent clients (threads), through the JSON API or the
public web form (a fresh GET for the CSRF and form tokens before each POST, as a phone does)."""

import http.client
import json
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from demo.responses import Row

HOST = "127.0.0.1"
API_PATH = "/api/v1/responses"
BARE_PATH = "/bench/insert/"
FORM_PATH = "/survei/layanan/{code}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def gunicorn_start(
    *, port: int, workers: int, env: dict[str, str], root: Path, log: Path, app: str = "siputri.wsgi:application"
) -> subprocess.Popen:
    # gunicorn of the environment running this (also when measuring another checkout).
    executable = Path(sys.executable).parent / "gunicorn"
    command = [
        str(executable),
        app,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--timeout=60",
        f"--error-logfile={log}",
    ]
    return subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            status, _headers, _body = request(port, "GET", "/api/v1/agencies")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None, conn=None):
    """One HTTP request; returns (status, headers, body). Reuses ``conn`` when given."""
    connection = conn or http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if conn is None:
            connection.close()


def api_available(port: int) -> bool:
    """POST an empty object: the API answers 400 (nothing stored); a missing route, 404."""
    status, _headers, _body = request(port, "POST", API_PATH, b"{}", {"Content-Type": "application/json"})
    return status == 400


def form_available(port: int, service_code: str) -> bool:
    status, _headers, body = request(port, "GET", FORM_PATH.format(code=service_code))
    return status == 200 and b"<form" in body


@dataclass
class _Form:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    numbers: list[str] = field(default_factory=list)
    textareas: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    """The POST forms of a page: hidden values, radio and select options, and the names of
    number fields and text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._form = _Form(action=attributes.get("action") or "")
            self.forms.append(self._form)
        form, name = self._form, attributes.get("name")
        if form is None or (not name and tag != "option"):
            return
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind == "hidden":
                form.hidden[name] = attributes.get("value") or ""
            elif kind == "radio":
                form.choices.setdefault(name, []).append(attributes.get("value") or "")
            elif kind == "number":
                form.numbers.append(name)
        elif tag == "select":
            self._select = name
            form.choices[name] = []
        elif tag == "option" and self._select and attributes.get("value"):
            form.choices[self._select].append(attributes["value"])
        elif tag == "textarea":
            form.textareas.append(name)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_fields(page: str, row: Row) -> tuple[str, dict[str, str]]:
    """Fill the page's survey form (its POST form with the most choices; the others are the
    language switch and the like) with ``row`` the way a person would. Text fields other than
    the suggestion stay empty: one is a honeypot."""
    parser = _FormParser()
    parser.feed(page)
    form = max(parser.forms, key=lambda f: len(f.choices))
    values = dict(form.hidden)
    profile = {"gender": row.gender, "education": row.education, "occupation": row.occupation}
    for name, options in form.choices.items():
        wanted = profile.get(name)
        if wanted is None:
            wanted = next((str(v) for code, v in row.answers.items() if name.endswith(code)), None)
        values[name] = wanted if wanted in options else options[-1]
    for name in form.numbers:
        values[name] = str(row.age)
    for name in form.textareas:
        values[name] = row.suggestion
    return form.action, values


def _cookies(headers, jar: dict[str, str]) -> None:
    for header in headers.get_all("Set-Cookie") or []:
        name, _sep, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


@dataclass
class LoadResult:
    mode: str
    clients: int
    submissions: int = 0
    stored: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of the POST alone, in seconds

    @property
    def rate(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        errors = sum(self.errors.values())
        detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(self.errors.items()))})" if errors else ""
        mean = statistics.fmean(self.latencies) if self.latencies else 0.0
        return (
            f"{self.submissions:,} submissions, {self.stored:,} acknowledged, {errors} errors{detail}, "
            f"{self.rate:.1f}/s over {self.seconds:.1f} s; POST latency ms: mean {mean * 1000:.0f}, "
            f"p50 {self.percentile(0.5) * 1000:.0f}, p90 {self.percentile(0.9) * 1000:.0f}, "
            f"p99 {self.percentile(0.99) * 1000:.0f}, max {max(self.latencies, default=0) * 1000:.0f}"
        )


def submit_load(*, port: int, mode: str, rows: list[Row], codes: dict[int, str], clients: int) -> LoadResult:
    """Send every row once, from ``clients`` threads; ``mode`` is "api", "form" or "bare" (the
    API's body to the bare one-INSERT view of ``bench/wsgi_bare.py``)."""
    result = LoadResult(mode=mode, clients=clients, submissions=len(rows))
    lock = threading.Lock()
    pending = iter(rows)

    def next_row() -> Row | None:
        with lock:
            return next(pending, None)

    def record(latency: float | None, error: str | None) -> None:
        with lock:
            if latency is not None:
                result.latencies.append(latency)
            if error is None:
                result.stored += 1
            else:
                result.errors[error] = result.errors.get(error, 0) + 1

    json_header = {"Content-Type": "application/json"}

    def api_client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        while (row := next_row()) is not None:
            body = json.dumps(
                {
                    "service": codes[row.service_id],
                    "gender": row.gender,
                    "age": row.age,
                    "education": row.education,
                    "occupation": row.occupation,
                    "answers": row.answers,
                    "suggestion": row.suggestion,
                }
            ).encode()
            started = time.perf_counter()
            try:
                status, _headers, _body = request(
                    port, "POST", BARE_PATH if mode == "bare" else API_PATH, body, json_header, connection
                )
            except (OSError, http.client.HTTPException) as error:
                record(None, type(error).__name__)
                connection.close()
                continue
            record(time.perf_counter() - started, None if status == 201 else f"HTTP {status}")
        connection.close()

    def form_client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        jar: dict[str, str] = {}
        while (row := next_row()) is not None:
            path = FORM_PATH.format(code=codes[row.service_id])
            try:
                cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
                status, headers, page = request(port, "GET", path, headers=cookie, conn=connection)
                _cookies(headers, jar)
                if status != 200:
                    record(None, f"GET HTTP {status}")
                    continue
                action, values = form_fields(page.decode(), row)
                body = urlencode(values).encode()
                post_headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                }
                started = time.perf_counter()
                status, headers, _page = request(port, "POST", action or path, body, post_headers, connection)
                _cookies(headers, jar)
            except (OSError, http.client.HTTPException) as error:
                record(None, type(error).__name__)
                connection.close()
                continue
            # A stored response redirects to the thanks page; a form shown again was refused.
            record(time.perf_counter() - started, None if status in (302, 303) else f"HTTP {status}")
        connection.close()

    worker = form_client if mode == "form" else api_client
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
