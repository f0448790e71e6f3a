"""Peak memory of one paper survey import: the largest file the import allows, and each hostile
file of `standards/tests/hostile_files.py`. Figures, not tests; run by hand:

    .venv/bin/python bench/imports.py [--only NAME] [--limit-mb 6000]

Each import runs in a fresh Python process on its own copy of a migrated SQLite database
(bench/out/imports/), and reads its file from disk. The orchestrating process imports neither
Django nor the builders, because Linux carries a process's max RSS across `exec` and a big
parent would hide the child's peak. A child is capped at --limit-mb of address space and
600 s, so that a reader that inflates a bomb fails instead of taking the machine.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "imports"
DATABASE = OUT / "migrated.sqlite3"
LARGEST = "largest allowed: 50,000 rows"
# The reviewer's bomb: 1 GB of shared strings in about a megabyte on disk.
BOMB = "zip bomb, 1 GB of shared strings"


def child_environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "siputri.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
    }


def run_child(*arguments: str, database: Path, limit_mb: int, timeout: int = 120) -> dict:
    command = [sys.executable, __file__, "--child", *arguments, "--limit-mb", str(limit_mb)]
    try:
        done = subprocess.run(  # noqa: S603 (our own script)
            command, env=child_environment(database), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"killed after {timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"outcome": f"crashed: {last[:90]}"}
    return json.loads(lines[-1])


# --- In the child -------------------------------------------------------------------------------


def child_setup() -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from agencies.models import Agency
    from standards.models import Service

    agency = Agency.objects.create(code="DISDUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil")
    Service.objects.create(agency=agency, code="A-KTP", name="Penerbitan KTP-el")
    return {"outcome": "migrated"}


def child_build() -> dict:
    import datetime
    import io

    import django

    django.setup()
    from openpyxl import Workbook

    from standards.tests import hostile_files
    from surveys.models import Questionnaire
    from surveys.response_import import FIXED_COLUMNS

    codes = [element.code for element in Questionnaire.objects.get(is_current=True).elements.all()]
    header = [*FIXED_COLUMNS, *codes, "saran"]
    row = ["A-KTP", "2026-01-15", "P", "34", "sma", "wirausaha", *("4" for _ in codes), "Antre lama"]
    files = {}
    for name, builder in hostile_files.builders().items():
        files[name] = (hostile_files.filename(name), builder(header, row))
    files[BOMB] = ("bomb.xlsx", hostile_files.shared_strings_bomb(header, row, inflated_mb=1024))

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    first = datetime.date(2025, 1, 1)
    for number in range(50_000):
        answers = [1 + (number * 7 + index * 3) % 4 for index in range(len(codes))]
        suggestion = f"Saran {number}: antrean di loket {number % 9} perlu dipercepat." if number % 10 == 0 else ""
        sheet.append(
            [
                "A-KTP",
                first + datetime.timedelta(days=number % 365),
                "LP"[number % 2],
                18 + number % 60,
                ("sd", "smp", "sma", "diploma", "s1")[number % 5],
                ("pns", "wirausaha", "pelajar", "lainnya")[number % 4],
                *answers,
                suggestion,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    files[LARGEST] = ("terbesar.xlsx", buffer.getvalue())

    sizes = {}
    for index, (name, (filename, data)) in enumerate(files.items()):
        folder = OUT / f"file{index:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_bytes(data)
        sizes[name] = str(folder / filename)
    return {"outcome": "built", "files": sizes}


def child_import(path: str) -> dict:
    import resource
    import time

    import django

    django.setup()
    from surveys.response_import import ResponseImportError, responses_import_file

    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    file = Path(path)
    with file.open("rb") as handle:
        try:
            result = responses_import_file(file=handle, filename=file.name)
        except ResponseImportError as exc:
            more = f" (+{len(exc.errors) - 1})" if len(exc.errors) > 1 else ""
            outcome = f"refused: {str(exc.errors[0])[:90]}{more}"
        except Exception as exc:  # a server error in the web upload; its memory still counts
            outcome = f"error: {type(exc).__name__}: {str(exc)[:60]}"
        else:
            outcome = f"imported {result.imported} rows"
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"outcome": outcome, "peak_mb": peak / 1024, "growth_mb": (peak - start_rss) / 1024, "seconds": seconds}


def child(arguments: list[str], limit_mb: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit_mb * 1024 * 1024, limit_mb * 1024 * 1024))
    step, *rest = arguments
    if step == "setup":
        result = child_setup()
    elif step == "build":
        result = child_build()
    else:
        result = child_import(rest[0])
    print(json.dumps(result))


# --- In the orchestrator ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--only", help="measure only the file whose name contains this")
    parser.add_argument("--limit-mb", type=int, default=6000, help="address space cap of each import process")
    options = parser.parse_args()
    if options.child:
        child(options.child, options.limit_mb)
        return

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    print(run_child("setup", database=DATABASE, limit_mb=options.limit_mb)["outcome"], flush=True)
    built = run_child("build", database=DATABASE, limit_mb=options.limit_mb, timeout=1200)
    if "files" not in built:
        sys.exit(f"building the files failed: {built['outcome']}")
    print("| file | size on disk | outcome | peak RSS | RSS growth | time |")
    print("|---|---|---|---|---|---|")
    for name, path in built["files"].items():
        if options.only and options.only not in name:
            continue
        database = Path(path).with_name("db.sqlite3")
        shutil.copy(DATABASE, database)
        figures = run_child("import", path, database=database, limit_mb=options.limit_mb, timeout=600)
        size = Path(path).stat().st_size
        if "peak_mb" in figures:
            memory = f"{figures['peak_mb']:.0f} MiB | {figures['growth_mb']:.0f} MiB | {figures['seconds']:.1f} s"
        else:
            memory = "– | – | –"
        print(f"| {name} | {size / 1024:,.1f} KiB | {figures['outcome']} | {memory} |", flush=True)
    shutil.rmtree(OUT, ignore_errors=True)


if __name__ == "__main__":
    main()
