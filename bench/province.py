"""SI-PUTRI at regency and province size: data sets generated in PostgreSQL by SQL, the reads
of every results page timed on each, and submissions per second through gunicorn beside a bare
one-INSERT view in the same run. Run by hand or with `make bench`; never part of `make test`.

    .venv/bin/python bench/province.py [--sets demo,oki,province] [--province-responses N]
        [--root DIR] [--keep] [--cycles 2] [--submissions 1500]

Data sets (each its own database, named DATABASE_URL's name + "_" + the set, made afresh):
  demo      the OKI catalog (71 services, 37 agencies), 12,000 responses over the last year
  oki       the OKI catalog, 1,000,000 responses over the last year
  province  600 agencies x ~17 services (10,000), --province-responses over three years

Responses, their tallies (per service, per day and month) and, where the code has them, the
agency and regency roll-ups are made by INSERT ... SELECT in the database, never row by row.
The demo set is then checked against the application's own recount (tallies_compare).

``--root`` measures another checkout of the code (e.g. an older main unpacked with git archive)
with this benchmark; its bench/ directory is replaced by this one for the run. Reads run in
subprocesses of that code; figures are the median of ``--runs`` after a warm-up, and the whole
round is repeated ``--cycles`` times alternating between the sets, each set's figure being the
median over cycles, so a burst of load on the shared machine hits every set alike.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/siputri_bench"
SETS = ("demo", "oki", "province")
READS = (
    ("regency_year", "results, regency, a year"),
    ("regency_cut", "results, regency, 15 Jan - 15 Dec"),
    ("agency_year", "results, largest agency, a year"),
    ("agency_cut", "results, largest agency, 15 Jan - 15 Dec"),
    ("ranking", "agency_ranking, a year"),
    ("public_page", "GET /hasil/ (gunicorn, warm)"),
    ("chart_elements", "GET chart elements.svg (gunicorn, warm)"),
    ("chart_trend", "GET chart trend.svg (gunicorn, warm)"),
    ("chart_profile", "GET chart profile.svg (gunicorn, warm)"),
    ("opendata", "GET /api/v1/open-data/results (gunicorn)"),
    ("dashboard_evaluator", "evaluator dashboard /dasbor/"),
    ("dashboard_leader", "leader dashboard /dasbor/"),
    ("skm_pdf", "SKM report PDF, largest agency"),
    ("recap_pdf", "regency recap PDF"),
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="data sets to make and measure")
    parser.add_argument("--demo-responses", type=int, default=12_000)
    parser.add_argument("--oki-responses", type=int, default=1_000_000)
    parser.add_argument("--province-responses", type=int, default=10_000_000)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout of SI-PUTRI to measure")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per read after a warm-up")
    parser.add_argument("--cycles", type=int, default=2, help="rounds over the sets, alternating")
    parser.add_argument("--submissions", type=int, default=1_500, help="submissions per write measurement")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the databases at the end")
    parser.add_argument("--reuse", default="", help="sets whose databases an earlier --keep left, measured as they are")
    parser.add_argument("--label", default="", help="a name for this run in the printed table")
    return parser.parse_args()


def database_url(base: str, data_set: str) -> str:
    parsed = urlparse(base)
    name = unquote(parsed.path.lstrip("/"))
    if parsed.scheme not in ("postgres", "postgresql"):
        sys.exit("The benchmark needs PostgreSQL.")
    if "bench" not in name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"Refusing database {name!r}: its name must contain 'bench' (it is dropped and recreated).")
    return parsed._replace(path=f"/{name}_{data_set}").geturl()


def maintenance(url: str, statements: list[str]) -> None:
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


def environment(url: str, root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "siputri.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SURVEY_RATE_LIMIT": "0",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(root),
        }
    )
    return env


def in_root(root: Path, env: dict[str, str], *args: str) -> dict:
    """Run ``bench/province_worker.py ARGS`` in ``root``; it prints one JSON object last."""
    python = ROOT / ".venv" / "bin" / "python"
    done = subprocess.run(  # noqa: S603
        [str(python), str(root / "bench" / "province_worker.py"), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"province_worker {args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = arguments()
    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    root = args.root.resolve()
    if root != ROOT:
        # The code measured is the other checkout's; the benchmark is this one.
        shutil.rmtree(root / "bench", ignore_errors=True)
        shutil.copytree(HERE, root / "bench", ignore=shutil.ignore_patterns("out", "__pycache__"))
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    sizes = {"demo": args.demo_responses, "oki": args.oki_responses, "province": args.province_responses}
    OUT.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    say(f"SI-PUTRI province benchmark {args.label} — code {root}, {os.cpu_count()} CPUs")
    urls = {s: database_url(base, s) for s in sets}
    try:
        for data_set in sets:
            url = urls[data_set]
            env = environment(url, root)
            if data_set not in args.reuse.split(","):
                name = urlparse(url).path.lstrip("/")
                maintenance(base, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'])
                made = in_root(root, env, "generate", data_set, str(sizes[data_set]))
                say(f"[{data_set}] {json.dumps(made)}")
        figures: dict[str, dict[str, list[float]]] = {s: {} for s in sets}
        for cycle in range(args.cycles):
            for data_set in sets:
                env = environment(urls[data_set], root)
                got = in_root(root, env, "reads", data_set, str(args.runs))
                for key, seconds in got["reads"].items():
                    figures[data_set].setdefault(key, []).append(seconds)
                say(f"[{data_set}] cycle {cycle + 1}: {json.dumps(got)}")
        writes = {}
        if args.submissions:
            for data_set in sets[-1:]:
                env = environment(urls[data_set], root)
                writes = in_root(
                    root, env, "writes", data_set, str(args.submissions), str(args.clients), str(args.workers)
                )
                say(f"[{data_set}] writes: {json.dumps(writes)}")
        say()
        say(table(sets, figures, sizes))
        if writes:
            say()
            say(write_table(writes, sets[-1]))
    finally:
        if not args.keep:
            for url in urls.values():
                name = urlparse(url).path.lstrip("/")
                maintenance(base, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
            say("dropped the benchmark databases")
        (OUT / f"province{('-' + args.label) if args.label else ''}.txt").write_text("\n".join(lines) + "\n")


def table(sets: list[str], figures: dict, sizes: dict) -> str:
    first = sets[0]
    head = " | ".join(f"{s} ({sizes[s]:,})" for s in sets)
    ratios = " | ".join(f"{s} ÷ {first}" for s in sets[1:])
    rows = [f"| read | {head} | {ratios} |", "|---" * (1 + len(sets) + len(sets) - 1) + "|"]
    for key, label in READS:
        medians = {s: statistics.median(figures[s][key]) for s in sets if figures[s].get(key)}
        if first not in medians:
            continue
        cells = " | ".join(f"{medians[s] * 1000:,.1f} ms" if s in medians else "–" for s in sets)
        quotients = " | ".join(f"{medians[s] / medians[first]:.2f}×" if s in medians else "–" for s in sets[1:])
        rows.append(f"| {label} | {cells} | {quotients} |")
    return "\n".join(rows)


def write_table(writes: dict, data_set: str) -> str:
    bare = writes.get("bare", {}).get("rate") or 0
    rows = [
        f"| submissions on the {data_set} set | acknowledged | stored | errors | rate | ÷ bare INSERT | p50 | p99 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for mode in ("bare", "api", "form"):
        got = writes.get(mode)
        if not got:
            continue
        ratio = f"{got['rate'] / bare:.2f}" if bare else "–"
        rows.append(
            f"| {mode} | {got['acknowledged']:,} | {got['stored']:,} | {got['errors']} | {got['rate']:.0f}/s | "
            f"{ratio} | {got['p50'] * 1000:.0f} ms | {got['p99'] * 1000:.0f} ms |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"took {time.perf_counter() - started:.0f} s")
