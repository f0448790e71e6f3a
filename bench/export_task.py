"""SI-PUTRI benchmark: a large XLSX export of the whole regency prepared as a task by a real
Celery worker (Redis as broker) while gunicorn serves the site, with the worker's memory and
the pages' latency during the export beside their latency before it. Run by hand; never part
of `make test`.

    .venv/bin/python bench/export_task.py [--rows 1000000] [--timeout 2400] [--keep]
        [--baseline 20] [--workers 2] [--redis-db 13]

It loads --rows demo responses with their tallies (bench/load.py, as bench/export.py does),
starts `celery -A siputri worker --concurrency 1` and gunicorn (--workers, DEBUG=0) on a free
loopback port, signs in as a super admin and asks for the XLSX of every response of the whole
regency, all time, through the exports page as staff do. Until the job is done it requests the
public results page and the exports page every 0.5 s and samples the worker's RSS; then it
downloads the file through its link and counts its rows.

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/siputri_bench_export_task;
the name must contain "bench": it is made afresh and dropped at the end unless --keep) and Redis
on 127.0.0.1:6379, of which the script uses one database (--redis-db, default 13) as broker and
cache, flushed at the start and at the end. Only loopback traffic. Figures go to stdout and
bench/out/export_task.txt; the worker's and gunicorn's logs to bench/out/export_task-*.log.
"""

import argparse
import datetime
import html
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import OUT, Report, database_name, maintenance  # noqa: E402

HOST = "127.0.0.1"
JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/siputri_bench_export_task"
ALL_TIME = "2000-01-01..2100-12-31"  # the widest period the pages accept: all time
EXPORTS_PATH = "/kelola/ekspor/"
LOGIN_PATH = "/login/"
TICK = 0.5  # seconds between rounds of page requests during the export
USERNAME = "bench-admin"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        default=1_000_000,
        help="responses loaded and exported (over 5,000, EXPORT_DIRECT_XLSX_ROWS, or there is no task)",
    )
    parser.add_argument("--timeout", type=float, default=2400, help="seconds the export may take before giving up")
    parser.add_argument("--baseline", type=int, default=20, help="rounds of page requests before the export")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--redis-db", type=int, default=13, help="Redis database for broker and cache (flushed)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database at the end")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args()


# Steps run in a fresh Python process, so that the orchestrator never holds a million rows.


def step(*arguments: str) -> dict:
    done = subprocess.run(  # noqa: S603 (our own script, our own interpreter)
        [sys.executable, str(Path(__file__).resolve()), "--step", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-5000:])
        raise SystemExit(f"step {' '.join(arguments)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_step(name: str, rest: list[str]) -> None:
    from bench import export

    if name == "prepare":
        export.prepare()  # migrate, load the OKI catalog
    elif name == "load":
        export.load_responses(int(rest[0]), seed=1)  # COPY plus merged tallies, as bench/run.py
    else:
        raise SystemExit(f"unknown step {name}")


# A signed-in browser: plain http.client with its own cookie jar, because with DEBUG=0 the
# session and CSRF cookies are Secure, which a cookie-aware client would not send over http.


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            method = attributes.get("method", "get").lower()
            self.forms.append({"method": method, "action": attributes.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value", "")


def post_forms(page: bytes) -> list[dict]:
    parser = _Forms()
    parser.feed(page.decode("utf-8", "replace"))
    return [form for form in parser.forms if form["method"] == "post"]


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.jar: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None, sink=None) -> tuple[int, dict, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())} if self.jar else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        for attempt in (1, 2):  # once more on a fresh connection if the kept one was closed
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                if sink is not None and response.status == 200:
                    while chunk := response.read(1 << 20):
                        sink.write(chunk)
                    content = b""
                else:
                    content = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2 or body is not None:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.jar[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, dict(response.headers), content

    def sign_in(self, username: str, password: str) -> None:
        status, _headers, page = self.request("GET", LOGIN_PATH)
        forms = [form for form in post_forms(page) if "password" in form["fields"]]
        if status != 200 or not forms:
            raise RuntimeError(f"the sign-in page answered {status} without a sign-in form")
        fields = forms[0]["fields"]
        fields.update({"username": username, "password": password})
        status, headers, _page = self.request("POST", LOGIN_PATH, fields)
        if status != 302 or "login" in headers.get("Location", ""):
            raise RuntimeError(f"signing in failed: {status} {headers.get('Location', '')}")


@dataclass
class Latencies:
    samples: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    def get(self, browser: Browser, label: str, path: str) -> bytes:
        started = time.perf_counter()
        try:
            status, _headers, page = browser.request("GET", path)
        except (http.client.HTTPException, OSError) as error:
            status, page = type(error).__name__, b""
        self.samples.setdefault(label, []).append(time.perf_counter() - started)
        if status != 200:
            self.failures[f"{label} {status}"] = self.failures.get(f"{label} {status}", 0) + 1
        return page

    def failed(self) -> int:
        return sum(self.failures.values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), percentile(values, 0.95), max(values)


# The worker's process tree and its resident memory, from /proc.


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        return []
    return found


def tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += children(current)
    return pids


def status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Samples the RSS of the worker's process tree (the main process and its pool child)."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_tree = self.peak_child = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            pids = tree(self.pid)
            rss = {pid: status_kib(pid, "VmRSS") for pid in pids}
            self.peak_tree = max(self.peak_tree, sum(rss.values()))
            self.peak_child = max([self.peak_child, *(rss[pid] for pid in pids[1:])])
            self.halt.wait(self.every)


def tree_rss(pid: int) -> tuple[int, int, int]:
    """KiB: the whole tree's RSS now, the largest RSS of a child now, and the largest high-water
    mark (VmHWM) of a child."""
    pids = tree(pid)
    rss = [status_kib(p, "VmRSS") for p in pids]
    return sum(rss), max([0, *rss[1:]]), max([0, *(status_kib(p, "VmHWM") for p in pids[1:])])


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its own threads so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# The file: a valid workbook (openpyxl opens it and reads the header) and its rows counted by
# streaming the sheet's XML (openpyxl reading a million rows cell by cell takes minutes).


def xlsx_check(path: Path) -> tuple[int, list]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = workbook.worksheets[0]
        header = next(sheet.iter_rows(max_row=1, values_only=True))
        part = "xl/worksheets/sheet1.xml"
    finally:
        workbook.close()
    rows, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as xml:
        if archive.testzip() is not None:
            raise RuntimeError("a part of the XLSX is damaged")
        while chunk := xml.read(1 << 22):
            data = tail + chunk
            rows += data.count(b"<row ")
            tail = data[-4:]
            rows -= tail.count(b"<row ")  # counted again with the next chunk
    return rows + tail.count(b"<row "), list(header)


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()


def process_stop(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM (Celery's warm shutdown, gunicorn's graceful one), SIGKILL to the group after
    ``grace`` seconds; the process was started in its own session, so the group is its own."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> None:
    args = arguments()
    if args.step:
        run_step(args.step[0], args.step[1:])
        return
    started = time.perf_counter()
    report = Report()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    name = database_name(url)
    quoted = '"' + name.replace('"', '""') + '"'
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    private = Path(tempfile.mkdtemp(prefix="siputri-export-task-"))
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "siputri.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "CELERY_BROKER_URL": redis_url,
            "REDIS_URL": redis_url,
            "PRIVATE_MEDIA_ROOT": str(private),
            "EMAIL_URL": "console://",
            "LOG_LEVEL": "WARNING",
        }
    )
    # A SIGTERM (or the shell's hang-up) stops the run through the same clean-up as an error.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit("stopped by SIGHUP"))
    redis_flush(redis_url)
    maintenance(url, [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", f"CREATE DATABASE {quoted}"])
    try:
        run(args, report, name)
    except BaseException as error:
        report(f"FAILED: {type(error).__name__}: {error}")
        raise
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            report(f"kept database {name}")
        else:
            maintenance(url, [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"])
            report(f"dropped database {name}")
        redis_flush(redis_url)
        shutil.rmtree(private, ignore_errors=True)
        report(f"the run took {time.perf_counter() - started:.0f} s")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "export_task.txt").write_text("\n".join(report.lines) + "\n")
        print(f"figures written to {(OUT / 'export_task.txt').relative_to(ROOT)}")


def run(args: argparse.Namespace, report: Report, name: str) -> None:
    now = datetime.datetime.now(JAKARTA)
    server = step("prepare")["server"]
    report(f"SI-PUTRI export task benchmark, {now:%Y-%m-%d %H:%M} Asia/Jakarta")
    with open("/proc/loadavg") as file:
        load = " ".join(file.read().split()[:3])
    report(
        f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}, PostgreSQL {server}, database {name}; load average {load} at the start"
    )
    loaded = step("load", str(args.rows))
    report(f"loaded {loaded['stored']:,} responses with their tallies in {loaded['seconds']:.1f} s")

    import django

    django.setup()
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import user_create
    from bench.submissions import free_port, gunicorn_start, gunicorn_stop, wait_until_serving
    from reports.models import ExportJob, ExportStatus
    from siputri.celery import app

    password = secrets.token_urlsafe(24)
    user_create(username=USERNAME, role=Role.SUPER_ADMIN, email="bench@siputri.invalid", password=password)
    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG=0 pages need the manifest
    port = free_port()
    os.environ["SITE_URL"] = f"http://{HOST}:{port}"  # the link in the "export ready" email
    OUT.mkdir(parents=True, exist_ok=True)
    worker_log = (OUT / "export_task-worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "siputri", "worker", "--concurrency", "1", "-l", "warning"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    web = gunicorn_start(
        port=port, workers=args.workers, env=dict(os.environ), root=ROOT, log=OUT / "export_task-gunicorn.log"
    )
    sampler = None
    try:
        wait_until_serving(port, web)
        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=1.0):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not answer; see bench/out/export_task-worker.log")
        report(
            f"gunicorn ({args.workers} workers) on {HOST}:{port}; Celery worker (concurrency 1) pid {worker.pid}; "
            f"broker and cache {os.environ['REDIS_URL']}"
        )
        last_year = now.year - 1
        public = f"/hasil/?periode={last_year}"
        exports = f"{EXPORTS_PATH}?{urlencode({'periode': ALL_TIME})}"
        visitor, staff = Browser(port), Browser(port)
        staff.sign_in(USERNAME, password)

        before = Latencies()
        for _ in range(4):  # warm-up, not counted: each gunicorn worker's first pages, the cache
            Latencies().get(visitor, "public", public)
            Latencies().get(staff, "exports", exports)
        for _ in range(args.baseline):
            tick = time.monotonic()
            before.get(visitor, "public", public)
            before.get(staff, "exports", exports)
            time.sleep(max(0.0, tick + TICK - time.monotonic()))
        idle_rss, idle_child, _hwm = tree_rss(worker.pid)
        child = tree(worker.pid)[1:]
        cpu_before = sum(cpu_seconds(pid) for pid in child)

        page = staff.request("GET", exports)[2]
        wanted = {"export": "respons", "fmt": "xlsx"}
        prepare = [form for form in post_forms(page) if wanted.items() <= form["fields"].items()]
        if not prepare:
            raise RuntimeError("no 'Prepare XLSX file' form for the responses on the exports page")
        sampler = MemorySampler(worker.pid)
        sampler.start()
        posted = time.monotonic()
        status, _headers, _page = staff.request("POST", html.unescape(prepare[0]["action"]), prepare[0]["fields"])
        if status != 302:
            raise RuntimeError(f"preparing the export answered {status}")
        job = ExportJob.objects.get(requested_by__username=USERNAME)
        report(f"export job {job.pk}: {job.filename}, {job.rows_total:,} rows expected, queued through the page")

        during = Latencies()
        seen_running, shown, loads = None, posted, []
        while True:
            tick = time.monotonic()
            during.get(visitor, "public", public)
            during.get(staff, "exports", exports)
            job.refresh_from_db()
            loads.append(load_average())
            if tick - shown >= 60:  # a sign of life in the console (not a figure)
                shown = tick
                print(f"  {tick - posted:.0f} s: {job.status}, {job.rows_done:,} rows written", flush=True)
            if job.status == ExportStatus.RUNNING and seen_running is None:
                seen_running = tick - posted
            if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
                break
            if tick - posted > args.timeout:
                raise RuntimeError(f"the export did not finish within {args.timeout:.0f} s ({job.rows_done:,} rows)")
            if worker.poll() is not None:
                raise RuntimeError(f"the Celery worker exited with status {worker.returncode}")
            time.sleep(max(0.0, tick + TICK - time.monotonic()))
        finished = time.monotonic() - posted
        sampler.halt.set()
        sampler.join()
        _rss, _child, child_hwm = tree_rss(worker.pid)
        cpu = sum(cpu_seconds(pid) for pid in child) - cpu_before
        if job.status == ExportStatus.FAILED:
            raise RuntimeError(f"the export failed: {job.error}")
        task_seconds = (job.finished_at - job.created_at).total_seconds()
        link = re.search(rb'href="(/kelola/ekspor/berkas/\d+/)"', staff.request("GET", exports)[2])
        if link is None:
            raise RuntimeError("the exports page shows no download link for the finished export")
        with tempfile.NamedTemporaryFile(suffix=".xlsx", dir=OUT) as file:
            began = time.monotonic()
            status, _headers, _body = staff.request("GET", link.group(1).decode(), sink=file)
            file.flush()
            downloaded = time.monotonic() - began
            size = Path(file.name).stat().st_size
            if status != 200:
                raise RuntimeError(f"the download answered {status}")
            process_stop(worker)
            gunicorn_stop(web)
            began = time.monotonic()
            rows, header = xlsx_check(Path(file.name))
            checked = time.monotonic() - began
    finally:
        if sampler is not None:
            sampler.halt.set()
        process_stop(worker)
        gunicorn_stop(web)
        worker_log.close()

    report(
        f"export of {job.rows_done:,} rows: {task_seconds:.1f} s from the request to the file ready "
        f"({job.rows_done / task_seconds:,.0f} rows/s); the worker took it up after about "
        f"{seen_running or 0:.1f} s; the page showed it done after {finished:.1f} s; the pool child used "
        f"{cpu:.1f} s of CPU ({cpu / task_seconds:.0%} of one core)"
    )
    report(
        f"file: {size / 2**20:.1f} MiB ({size:,} bytes), downloaded through gunicorn in {downloaded:.1f} s; "
        f"{rows:,} rows in the sheet (header + {rows - 1:,}), {len(header)} columns, read back in {checked:.1f} s"
    )
    if rows != args.rows + 1:
        report(f"  MISMATCH: expected {args.rows + 1:,} rows")
    report(
        f"worker memory (RSS): process tree {mib(idle_rss)} before the job, peak {mib(sampler.peak_tree)} during "
        f"it (sampled every {sampler.every} s); the pool child that ran it {mib(idle_child)} before, peak "
        f"{mib(sampler.peak_child)} sampled, high-water mark (VmHWM) {mib(child_hwm)}, "
        f"+{mib(child_hwm - idle_child)}"
    )
    report(
        f"page latency: one request to each page every {TICK} s, {len(before.samples['public'])} rounds before "
        f"the export (after 4 uncounted), {len(during.samples['public'])} during it; load average during it "
        f"{statistics.mean(loads):.1f} mean, {max(loads):.1f} max"
    )
    report("| page | before p50 | p95 | max | during p50 | p95 | max | p50 ratio | p95 ratio |")
    report("|---|---|---|---|---|---|---|---|---|")
    for label, shown_as in (("public", f"GET {public} (anonymous)"), ("exports", "GET /kelola/ekspor/ (super admin)")):
        b, d = summary(before.samples[label]), summary(during.samples[label])
        report(
            f"| {shown_as} | {b[0] * 1000:.0f} ms | {b[1] * 1000:.0f} ms | {b[2] * 1000:.0f} ms "
            f"| {d[0] * 1000:.0f} ms | {d[1] * 1000:.0f} ms | {d[2] * 1000:.0f} ms "
            f"| {d[0] / b[0]:.2f}× | {d[1] / b[1]:.2f}× |"
        )
    report(
        f"failed requests: {before.failed()} before, {during.failed()} during"
        + (f" ({', '.join(f'{k}: {v}' for k, v in during.failures.items())})" if during.failures else "")
    )
    with open("/proc/loadavg") as file:
        report(f"load average at the end: {' '.join(file.read().split()[:3])}")
    if rows != args.rows + 1:
        raise SystemExit("the file does not hold every row")


if __name__ == "__main__":
    main()
