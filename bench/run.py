"""SI-PUTRI benchmark: result reads at 10,000 and 1,000,000 responses, and survey submissions
per second through gunicorn. Run by hand or with `make bench`; never part of `make test`.

    .venv/bin/python bench/run.py [--keep] [--total 1000000] [--submissions 2000] ...

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/siputri_bench). The
database must have "bench" in its name; it is made afresh (an old one from --keep is dropped
first) and dropped at the end unless --keep. Only loopback traffic. Figures go to stdout and to
bench/out/latest.txt.
"""

import argparse
import datetime
import io
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/siputri_bench"
PROTECTED = {"postgres", "test", "template0", "template1"}
CATALOG = ROOT / "demo" / "data" / "katalog_oki.csv"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database at the end")
    parser.add_argument("--base", type=int, default=10_000, help="responses of the first read measurement")
    parser.add_argument("--total", type=int, default=1_000_000, help="responses of the second read measurement")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per read (after one warm-up)")
    parser.add_argument("--submissions", type=int, default=2_000, help="submissions per HTTP measurement")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--http",
        choices=["both", "api", "form", "none"],
        default="both",
        help="submission paths to measure: the JSON API, the web form, both (whichever exist), or none",
    )
    return parser.parse_args()


class Report:
    """Prints each line as it comes and keeps them for bench/out/latest.txt."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def save(self) -> Path:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "latest.txt"
        path.write_text("\n".join(self.lines) + "\n")
        return path


def database_name(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        sys.exit(f"The benchmark needs PostgreSQL; DATABASE_URL is {parsed.scheme}://…")
    name = unquote(parsed.path.lstrip("/"))
    if name in PROTECTED or "bench" not in name:
        sys.exit(f"Refusing to use database {name!r}: its name must contain 'bench' (it is dropped and recreated).")
    return name


def maintenance(url: str, statements: list[str]) -> None:
    """Run CREATE/DROP DATABASE from the server's maintenance database (its contents untouched)."""
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password) if parsed.password else None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        for statement in statements:
            connection.execute(statement)


def median_seconds(function, runs: int) -> float:
    function()  # warm-up: caches, connection, query plans
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    args = arguments()
    report = Report()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    name = database_name(url)
    quoted = '"' + name.replace('"', '""') + '"'
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "siputri.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SURVEY_RATE_LIMIT": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(ROOT))
    maintenance(url, [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", f"CREATE DATABASE {quoted}"])
    try:
        run(args, report, name)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            report(f"kept database {name}")
        else:
            maintenance(url, [f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"])
            report(f"dropped database {name}")
        report(f"figures written to {report.save().relative_to(ROOT)}")


def run(args: argparse.Namespace, report: Report, name: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import load, submissions
    from demo.responses import demo_services, generate
    from surveys.models import RespondentTally, Response
    from surveys.periods import year
    from surveys.selectors import Scope, agency_ranking, results
    from surveys.services import current_questionnaire
    from surveys.tallies import tallies_compare

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_services", str(CATALOG), verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    questionnaire = current_questionnaire()
    codes = [element.code for element in questionnaire.elements.all()]
    services = demo_services()
    now = timezone.localtime()
    # The last whole calendar year: a reporting year, as staff and the regent read it.
    reporting_year = year(now.year - 1)
    start, end = reporting_year.start, reporting_year.end
    # A range that does not follow month boundaries, for comparison: it reads day rows too.
    ragged = (start + datetime.timedelta(days=14), end - datetime.timedelta(days=16))
    report(f"SI-PUTRI benchmark, {now:%Y-%m-%d %H:%M} Asia/Jakarta")
    report(
        f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {server.split()[0]}, database {name}"
    )
    report(
        f"catalog: {len(services)} services of {len({s.agency_id for s in services})} agencies; "
        f"year {start}..{end}; set-up (migrate, catalog) {time.perf_counter() - started:.1f} s"
    )

    def load_rows(total: int, seed: int) -> None:
        began = time.perf_counter()
        rows = generate(services=services, codes=codes, total=total, start=start, end=end, seed=seed, now=now)
        stored, tallies = load.copy_responses(
            rows, questionnaire_id=questionnaire.pk, agency_of={s.pk: s.agency_id for s in services}
        )
        copied = time.perf_counter() - began
        merged = load.merge_tallies(tallies)
        load.analyze()
        report(
            f"  loaded {stored:,} responses: generate + COPY {copied:.1f} s, tallies merged "
            f"({', '.join(f'{k} {v:,}' for k, v in merged.items())} keys) in "
            f"{time.perf_counter() - began - copied:.1f} s"
        )

    def read_times(label: str) -> tuple[float, float]:
        sizes = load.table_rows()
        report(f"  table rows: {', '.join(f'{k} {v:,}' for k, v in sizes.items())}")
        ceiling = ((end - start).days + 1) * len(services) * len(codes) * 4
        report(
            f"  element tallies fill {sizes['elementtally'] / ceiling:.0%} of their ceiling of {ceiling:,} rows "
            "(days × services × elements × 4 answers), which no number of responses exceeds"
        )
        regency = median_seconds(lambda: results(scope=Scope(), start=start, end=end), args.runs)
        ranking = median_seconds(lambda: agency_ranking(start=start, end=end), args.runs)
        year_result = results(scope=Scope(), start=start, end=end)
        report(
            f"  {label}: results(regency, {reporting_year.key}) {regency * 1000:.1f} ms, "
            f"agency_ranking({reporting_year.key}) {ranking * 1000:.1f} ms "
            f"(median of {args.runs} after a warm-up); regency score {year_result.index.score} "
            f"grade {year_result.index.grade}, {year_result.respondents:,} respondents"
        )
        uneven = median_seconds(lambda: results(scope=Scope(), start=ragged[0], end=ragged[1]), args.runs)
        report(f"  {label}: results(regency, {ragged[0]}..{ragged[1]}: months plus edge days) {uneven * 1000:.1f} ms")
        return regency, ranking, uneven

    report(f"(a) {args.base:,} responses")
    load_rows(args.base, seed=1)
    differences = tallies_compare()
    report(f"  tallies_compare(): {len(differences)} differences from a recount")
    if differences:
        raise SystemExit("the bulk-loaded tallies differ from tallies_add's; figures would be meaningless")
    small = read_times(f"{args.base:,}")

    report(f"(b) {args.total:,} responses")
    load_rows(args.total - args.base, seed=2)
    large = read_times(f"{args.total:,}")
    for label, before, after in (("results", small[0], large[0]), ("agency_ranking", small[1], large[1])):
        ratio = after / before
        verdict = "met" if ratio < 1.5 else "NOT met"
        report(f"  {label}: {after * 1000:.1f} ms / {before * 1000:.1f} ms = {ratio:.2f}× (goal < 1.5: {verdict})")
    report(
        f"  results over a range that cuts months: {large[2] * 1000:.1f} ms / {small[2] * 1000:.1f} ms = "
        f"{large[2] / small[2]:.2f}× (its edge days read day rows, bounded by the days, not the responses)"
    )

    if args.http == "none":
        return
    report(f"(c) submissions: gunicorn, {args.workers} workers, {args.clients} concurrent clients, 127.0.0.1")
    call_command("collectstatic", verbosity=0, interactive=False)
    port = submissions.free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    server = submissions.gunicorn_start(
        port=port, workers=args.workers, env=dict(os.environ), root=ROOT, log=OUT / "gunicorn.log"
    )
    try:
        try:
            submissions.wait_until_serving(port, server)
        except RuntimeError:
            report((OUT / "gunicorn.log").read_text()[-3000:])
            raise
        service_codes = {s.pk: s.code for s in services}
        modes = []
        if args.http in ("both", "api"):
            if submissions.api_available(port):
                modes.append("api")
            else:
                report("  POST /api/v1/responses is not there (no 400 for an empty body): skipped")
        if args.http in ("both", "form") or not modes:
            if submissions.form_available(port, services[0].code):
                modes.append("form")
            else:
                report("  the web form /survei/layanan/<code>/ is not there: skipped")
        for seed, mode in enumerate(modes, start=3):
            rows = list(
                generate(services=services, codes=codes, total=args.submissions, start=start, end=end, seed=seed)
            )
            before = Response.objects.count()
            result = submissions.submit_load(port=port, mode=mode, rows=rows, codes=service_codes, clients=args.clients)
            stored = Response.objects.count() - before
            label = "POST /api/v1/responses (JSON)" if mode == "api" else "web form (GET form + POST, CSRF)"
            report(f"  {label}: {result.summary()}")
            report(f"    stored in the database: {stored:,}")
    finally:
        submissions.gunicorn_stop(server)
    counted = sum(RespondentTally.objects.filter(span="d").values_list("count", flat=True).iterator(chunk_size=50_000))
    report(f"  responses {Response.objects.count():,}, counted in the tallies {counted:,}")


if __name__ == "__main__":
    main()
