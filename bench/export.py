"""SI-PUTRI benchmark: exports of 100,000 and 1,000,000 responses as CSV and XLSX, with the
time, the file size and the peak memory of each; XLSX both with the XlsxWriter writer the
exports use and with the openpyxl write-only writer they used before, for comparison. Run by
hand; never part of `make test`.

    .venv/bin/python bench/export.py [--small 100000] [--large 1000000] [--keep] [--no-readme]
        [--large-formats csv xlsx] [--no-trace-large]

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/siputri_bench_export).
The database must have "bench" in its name; it is made afresh and dropped at the end unless
--keep. Each export runs in a fresh Python process, so its memory figures start from a process
that has only set Django up. Figures go to stdout, bench/out/export.txt and, between markers,
to the section "Exports of 100,000 responses" of bench/README.md.
"""

import argparse
import csv
import datetime
import io
import json
import os
import platform
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import CATALOG, OUT, Report, database_name, maintenance  # noqa: E402

JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/siputri_bench_export"
README = ROOT / "bench" / "README.md"
SECTION = "## Exports of 100,000 and 1,000,000 responses"
START, END = "<!-- export figures: start -->", "<!-- export figures: end -->"
FORMATS = ("csv", "xlsx", "xlsx-openpyxl")
LABELS = {
    "csv": "`csv_chunks` → CSV",
    "xlsx": "`xlsx_write` (XlsxWriter, constant memory) → XLSX",
    "xlsx-openpyxl": "openpyxl write-only → XLSX (the writer before)",
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=100_000, help="responses of the first measurement")
    parser.add_argument("--large", type=int, default=1_000_000, help="responses of the second measurement")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database at the end")
    parser.add_argument("--no-readme", action="store_true", help="do not write the figures into bench/README.md")
    parser.add_argument(
        "--large-formats", nargs="+", choices=FORMATS, default=list(FORMATS), help="writers measured at --large"
    )
    parser.add_argument(
        "--no-trace-large",
        action="store_true",
        help="at --large, skip the second export under tracemalloc (it takes about as long again)",
    )
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args()


def max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def openpyxl_write(exporter, path: Path) -> None:
    """The XLSX writer the exports used before XlsxWriter (openpyxl's write-only mode), kept
    here only to measure against."""
    from openpyxl import Workbook

    from reports.exporters import _xlsx_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Respons")
    sheet.append(exporter.headers())
    for row in exporter.rows():
        sheet.append([_xlsx_cell(value) for value in row])
    workbook.save(path)


def child(fmt: str, trace: bool = True) -> None:
    """Export every response once untraced (time, size, max RSS) and, unless ``trace`` is
    off, once under tracemalloc (peak of Python allocations); print the figures as one JSON
    line. CSV goes out as the
    streaming download sends it; XLSX is written to a file, as the export task does."""
    import django

    django.setup()
    from reports.exporters import ResponsesExporter, csv_chunks, xlsx_write
    from surveys.selectors import Scope

    def export(path: Path) -> tuple[float, int]:
        started = time.perf_counter()
        exporter = ResponsesExporter(Scope())
        if fmt == "csv":
            with path.open("wb") as out:  # as a server would: the bytes leave the process
                for chunk in csv_chunks(exporter):
                    out.write(chunk)
        elif fmt == "xlsx":
            xlsx_write(exporter, str(path))
        else:
            openpyxl_write(exporter, path)
        return time.perf_counter() - started, path.stat().st_size

    with tempfile.TemporaryDirectory(prefix="siputri-export-") as folder:
        path = Path(folder) / f"export.{fmt.split('-')[0]}"
        ResponsesExporter(Scope()).codes()  # connect and load the code paths before the baseline
        baseline = max_rss_bytes()
        seconds, size = export(path)
        rss_delta = max_rss_bytes() - baseline
        peak = None
        if trace:
            tracemalloc.start()
            export(path)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        rows = count_rows(path, fmt)
    figures = {"seconds": seconds, "size": size, "rss_delta": rss_delta, "rss_baseline": baseline}
    print(json.dumps({**figures, "peak": peak, "rows": rows}))


def count_rows(path: Path, fmt: str) -> int:
    """Data rows in the exported file, read back (outside the measurements)."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as file:
            return sum(1 for _row in csv.reader(file)) - 1
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(1 for _row in workbook.active.iter_rows(values_only=True)) - 1
    finally:
        workbook.close()


def step(*arguments: str) -> dict:
    """Run one step of the benchmark in a fresh Python process and return its JSON figures.

    The parent never imports Django nor holds responses: Linux carries a process's max RSS
    across exec, so a big parent would hide the children's own peaks."""
    done = subprocess.run(  # noqa: S603 (our own script, our own interpreter)
        [sys.executable, str(Path(__file__).resolve()), "--step", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ),
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"step {' '.join(arguments)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare() -> None:
    """Migrate the fresh database and load the OKI catalog."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_services", str(CATALOG), verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(json.dumps({"server": cursor.fetchone()[0].split()[0]}))


def load_responses(count: int, seed: int) -> None:
    """COPY ``count`` demo responses of last year, with their tallies, as bench/run.py does."""
    import django

    django.setup()
    from django.utils import timezone

    from bench import load
    from demo.responses import demo_services, generate
    from surveys.periods import year
    from surveys.services import current_questionnaire

    began = time.perf_counter()
    questionnaire = current_questionnaire()
    now = timezone.localtime()
    last_year = year(now.year - 1)
    services = demo_services()
    rows = generate(
        services=services,
        codes=[element.code for element in questionnaire.elements.all()],
        total=count,
        start=last_year.start,
        end=last_year.end,
        seed=seed,
        now=now,
    )
    stored, tallies = load.copy_responses(
        rows, questionnaire_id=questionnaire.pk, agency_of={s.pk: s.agency_id for s in services}
    )
    load.merge_tallies(tallies)
    load.analyze()
    print(json.dumps({"stored": stored, "seconds": time.perf_counter() - began}))


def mib(value: int) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def peak_mib(result: dict) -> str:
    return "not traced" if result["peak"] is None else mib(result["peak"])


def main() -> None:
    args = arguments()
    if args.step:
        name, *rest = args.step
        if name == "prepare":
            prepare()
        elif name == "load":
            load_responses(int(rest[0]), int(rest[1]))
        else:
            child(name, trace=rest != ["notrace"])
        return
    started = time.perf_counter()
    report = Report()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    name = database_name(url)
    quoted = '"' + name.replace('"', '""') + '"'
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "siputri.settings",
            "DEBUG": "0",  # with DEBUG on Django keeps every query in memory
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    maintenance(url, [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", f"CREATE DATABASE {quoted}"])
    try:
        figures = run(args, report, name)
    finally:
        if args.keep:
            report(f"kept database {name}")
        else:
            maintenance(url, [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"])
            report(f"dropped database {name}")
        report(f"the run took {time.perf_counter() - started:.0f} s")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "export.txt").write_text("\n".join(report.lines) + "\n")
    print(f"figures written to {(OUT / 'export.txt').relative_to(ROOT)}")
    if not args.no_readme:
        readme_write(figures)
        print(f"figures written to {README.relative_to(ROOT)}")


def run(args: argparse.Namespace, report: Report, name: str) -> dict:
    now = datetime.datetime.now(JAKARTA)
    server = step("prepare")["server"]
    report(f"SI-PUTRI export benchmark, {now:%Y-%m-%d %H:%M} Asia/Jakarta")
    machine = (
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {server}"
    )
    report(f"machine: {machine}, database {name}")
    figures: dict = {"machine": machine, "date": f"{now:%Y-%m-%d}", "runs": {}, "sizes": (args.small, args.large)}
    loaded = 0
    for seed, total in enumerate((args.small, args.large), start=1):
        result = step("load", str(total - loaded), str(seed))
        loaded += result["stored"]
        report(f"({seed}) {loaded:,} responses (loaded {result['stored']:,} in {result['seconds']:.1f} s)")
        large = total == args.large
        for fmt in args.large_formats if large else FORMATS:
            result = step(fmt, "notrace" if large and args.no_trace_large else "trace")
            if result["rows"] != loaded:
                raise SystemExit(f"the {fmt} export holds {result['rows']:,} rows, not {loaded:,}")
            figures["runs"][(loaded, fmt)] = result
            report(
                f"  {LABELS[fmt]}: {result['seconds']:.1f} s, {mib(result['size'])}, "
                f"{result['rows']:,} rows read back; tracemalloc peak {peak_mib(result)}, "
                f"max RSS +{mib(result['rss_delta'])} over {mib(result['rss_baseline'])} after django.setup()"
            )
    for fmt in args.large_formats:
        small, large = figures["runs"][(args.small, fmt)], figures["runs"][(args.large, fmt)]
        peaks = f"{large['peak'] / small['peak']:.2f}×" if large["peak"] and small["peak"] else "not traced"
        report(
            f"  {LABELS[fmt]} from {args.small:,} to {args.large:,} rows: "
            f"time {large['seconds'] / small['seconds']:.1f}×, "
            f"size {large['size'] / small['size']:.1f}×, tracemalloc peak {peaks}, "
            f"max RSS growth {mib(small['rss_delta'])} → {mib(large['rss_delta'])}"
        )
    return figures


def readme_write(figures: dict) -> None:
    small, large = figures["sizes"]
    lines = [
        START,
        f"Measured on {figures['date']} (Asia/Jakarta): {figures['machine']}.",
        "",
        "| export of every response | rows | time | file size | tracemalloc peak | max RSS growth |",
        "|---|---|---|---|---|---|",
    ]
    for fmt in FORMATS:
        for rows in (small, large):
            result = figures["runs"].get((rows, fmt))
            if result is None:
                continue
            lines.append(
                f"| {LABELS[fmt]} | {rows:,} | {result['seconds']:.1f} s | {mib(result['size'])} "
                f"| {peak_mib(result)} | {mib(result['rss_delta'])} |"
            )
    lines.append(END)
    block = "\n".join(lines)
    text = README.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + SECTION + "\n\n" + block + "\n"
    README.write_text(text)


if __name__ == "__main__":
    main()
