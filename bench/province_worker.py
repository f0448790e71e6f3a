"""The parts of bench/province.py that run inside the code measured (one process per step, its
database in DATABASE_URL). Prints one JSON object as its last line.

    province_worker.py generate SET RESPONSES
    province_worker.py reads SET RUNS
    province_worker.py writes SET SUBMISSIONS CLIENTS WORKERS
"""

import datetime
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
CATALOG = ROOT / "demo" / "data" / "katalog_oki.csv"
PROVINCE_AGENCIES, PROVINCE_SERVICES = 600, 10_000
AGE_GROUPS = ((15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 100))
EDUCATION = ("tidak_sekolah", "sd", "smp", "sma", "diploma", "s1", "s2", "s3")
OCCUPATION = ("pns", "tni", "polri", "swasta", "wirausaha", "pelajar", "lainnya")
# Response columns the generator fills for columns a later version of the code may add.
EXTRA_COLUMNS = {"status": "'accepted'", "assisted": "false", "held_rule": "''", "status_reason": "''"}


def _pdf_makers(agency, year):
    """The SKM report and the recap as issued (registered, stamped); a checkout measured with
    ``--root`` from before documents were registered renders them directly."""
    try:
        from reports.issue import regency_recap_issue, skm_report_issue
    except ImportError:
        from reports.recap import render_regency_recap
        from reports.skm_report import render_skm_report

        return (lambda: render_skm_report(agency=agency, period=year)), (lambda: render_regency_recap(period=year))
    return (
        lambda: skm_report_issue(agency=agency, period=year, actor=None),
        lambda: regency_recap_issue(period=year, actor=None),
    )


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def years(data_set: str) -> tuple[datetime.date, datetime.date]:
    """The span of the data: the last whole year, or the last three for the province."""
    from django.utils import timezone

    last = timezone.localdate().year - 1
    first = last - 2 if data_set == "province" else last
    return datetime.date(first, 1, 1), datetime.date(last, 12, 31)


def run_sql(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def catalog(data_set: str) -> None:
    from django.core.management import call_command

    if data_set != "province":
        call_command("import_services", str(CATALOG), verbosity=0, stdout=io.StringIO())
        return
    from agencies.models import Agency
    from standards.models import Service

    agencies = Agency.objects.bulk_create(
        Agency(code=f"OPD-{n:03d}", name=f"Perangkat Daerah {n:03d}", kind="dinas") for n in range(PROVINCE_AGENCIES)
    )
    Service.objects.bulk_create(
        (
            Service(agency=agencies[n % PROVINCE_AGENCIES], code=f"L-{n:05d}", name=f"Layanan {n:05d}")
            for n in range(PROVINCE_SERVICES)
        ),
        batch_size=2000,
    )


def response_columns() -> dict[str, str]:
    """Column → SQL expression over ``g`` (the row number), ``s`` (the service id) and ``d``."""
    from django.db import connection

    columns = {
        "service_id": "s",
        "questionnaire_id": "%(questionnaire)s",
        "submitted_at": "(d + time '09:00' + (g %% 28800) * interval '1 second') AT TIME ZONE 'Asia/Jakarta'",
        "day": "d",
        "channel": "CASE WHEN g %% 10 < 3 THEN 'paper' ELSE 'web' END",
        "gender": "CASE WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END",
        "age": "15 + (g * 7) %% 70",
        "education": f"(ARRAY{list(EDUCATION)})[1 + (g / 3) %% {len(EDUCATION)}]",
        "occupation": f"(ARRAY{list(OCCUPATION)})[1 + (g / 5) %% {len(OCCUPATION)}]",
        "answers": "a",
        "suggestion": "CASE WHEN g %% 10 = 0 THEN 'Pelayanan sudah cepat, antrean mohon ditertibkan.' ELSE '' END",
        "suggestion_hidden": "false",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'surveys_response' "
            "AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id'"
        )
        required = [row[0] for row in cursor.fetchall()]
    for name in required:
        if name not in columns:
            if name not in EXTRA_COLUMNS:
                raise SystemExit(f"surveys_response.{name} is required and the generator does not know it")
            columns[name] = EXTRA_COLUMNS[name]
    return columns


def responses(data_set: str, total: int) -> None:
    from surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.prefetch_related("elements").get(is_current=True)
    codes = [e.code for e in questionnaire.elements.all()]
    start, end = years(data_set)
    # Each service has its own level (so agencies differ), each answer a spread around it.
    answers = ", ".join(
        f"'{code}', least(4, 1 + (s %% 3 + (g / {7 + i}) %% 3 + (g * {i + 3}) %% 4) / 2)"
        for i, code in enumerate(codes)
    )
    columns = response_columns()
    run_sql(
        f"""
        INSERT INTO surveys_response ({", ".join(columns)})
        SELECT {", ".join(columns.values())}
        FROM (
            SELECT g,
                   svc.ids[(1 + (g * 7919) %% array_length(svc.ids, 1))::int] AS s,
                   %(start)s::date + ((g * 104729) %% %(days)s)::int AS d
            FROM generate_series(1::bigint, %(total)s) AS g,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM standards_service WHERE is_published) AS svc
        ) AS base, LATERAL (SELECT jsonb_build_object({answers}) AS a) AS answers
        """,  # noqa: S608 -- the codes come from the questionnaire
        {"questionnaire": questionnaire.pk, "start": start, "days": (end - start).days + 1, "total": total},
    )


def tallies() -> dict[str, int]:
    """Per-service tallies from the responses, then the roll-ups the code has, all by SQL."""
    from django.apps import apps

    age = "CASE " + " ".join(f"WHEN age <= {high} THEN '{low}-{high}'" for low, high in AGE_GROUPS) + " END"
    run_sql(
        "INSERT INTO surveys_respondenttally (span, day, service_id, questionnaire_id, count) "
        "SELECT 'd', day, service_id, questionnaire_id, count(*) FROM surveys_response GROUP BY 2, 3, 4"
    )
    run_sql(
        "INSERT INTO surveys_elementtally (span, day, service_id, questionnaire_id, element_code, value, count) "
        "SELECT 'd', day, service_id, questionnaire_id, kv.key, kv.value::int, count(*) "
        "FROM surveys_response, jsonb_each_text(answers) AS kv GROUP BY 2, 3, 4, 5, 6"
    )
    dimensions = {
        "gender": "gender",
        "age_group": age,
        "education": "education",
        "occupation": "occupation",
        "channel": "channel",
        "assisted": "CASE WHEN assisted THEN 'ya' ELSE 'tidak' END",
    }
    from surveys.models import ProfileTally

    # Only the dimensions the code under test counts (the bench also runs older code).
    dimensions = {name: sql for name, sql in dimensions.items() if name in ProfileTally.DIMENSIONS}
    for dimension, expression in dimensions.items():
        run_sql(
            "INSERT INTO surveys_profiletally (span, day, service_id, dimension, value, count) "  # noqa: S608
            f"SELECT 'd', day, service_id, '{dimension}', {expression}, count(*) FROM surveys_response "
            "GROUP BY 2, 3, 5"
        )
    keys = {
        "respondenttally": "questionnaire_id",
        "elementtally": "questionnaire_id, element_code, value",
        "profiletally": "dimension, value",
    }
    for table, key in keys.items():
        run_sql(
            f"INSERT INTO surveys_{table} (span, day, service_id, {key}, count) "  # noqa: S608
            f"SELECT 'm', date_trunc('month', day)::date, service_id, {key}, sum(count) "
            f"FROM surveys_{table} WHERE span = 'd' GROUP BY 2, 3, {key}"
        )
    rows = {}
    try:
        apps.get_model("surveys", "AgencyElementTally")
    except LookupError:
        pass  # code from before the roll-ups
    else:
        from surveys.tallies import AGENCY_SHARDS, REGENCY_SHARDS

        for table, key in keys.items():
            run_sql(
                f"INSERT INTO surveys_agency{table} (span, day, agency_id, shard, {key}, count) "  # noqa: S608
                f"SELECT t.span, t.day, s.agency_id, t.service_id % {AGENCY_SHARDS}, {key}, sum(t.count) "
                f"FROM surveys_{table} t JOIN standards_service s ON s.id = t.service_id GROUP BY 1, 2, 3, 4, {key}"
            )
            run_sql(
                f"INSERT INTO surveys_regency{table} (span, day, shard, {key}, count) "  # noqa: S608
                f"SELECT span, day, service_id % {REGENCY_SHARDS}, {key}, sum(count) "
                f"FROM surveys_{table} GROUP BY 1, 2, 3, {key}"
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'surveys_%tally' AND relkind = 'r'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"ANALYZE {name}")
            cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608
            rows[name.removeprefix("surveys_")] = cursor.fetchone()[0]
        cursor.execute("ANALYZE surveys_response")
        cursor.execute("SELECT pg_database_size(current_database())")
        rows["database_bytes"] = cursor.fetchone()[0]
    return rows


def generate(data_set: str, total: int) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    catalog(data_set)
    with transaction.atomic():
        responses(data_set, total)
    loaded = time.perf_counter()
    with transaction.atomic():
        rows = tallies()
    done = {
        "responses": total,
        "responses_s": round(loaded - began, 1),
        "tallies_s": round(time.perf_counter() - loaded, 1),
    }
    if total <= 50_000:
        from surveys.tallies import tallies_compare

        done["differences_from_recount"] = len(tallies_compare())
        if done["differences_from_recount"]:
            raise SystemExit(f"the SQL tallies differ from the application's recount: {done}")
    return {**done, **rows}


def timed(function, runs: int) -> float:
    function()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def reads(data_set: str, runs: int) -> dict:
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from agencies.models import Agency
    from bench import submissions
    from surveys import periods
    from surveys.selectors import Scope, agency_ranking, results

    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG=0 pages need the manifest
    _first, last = years(data_set)
    year = periods.year(last.year)
    cut = (year.start + datetime.timedelta(days=14), year.end - datetime.timedelta(days=16))
    agency = Agency.objects.annotate(n=Count("services")).order_by("-n", "pk").first()
    figures = {
        "regency_year": timed(lambda: results(scope=Scope(), start=year.start, end=year.end), runs),
        "regency_cut": timed(lambda: results(scope=Scope(), start=cut[0], end=cut[1]), runs),
        "agency_year": timed(lambda: results(scope=Scope(agency=agency), start=year.start, end=year.end), runs),
        "agency_cut": timed(lambda: results(scope=Scope(agency=agency), start=cut[0], end=cut[1]), runs),
        "ranking": timed(lambda: agency_ranking(start=year.start, end=year.end), runs),
    }
    for role in (Role.EVALUATOR, Role.LEADER):
        user, _created = User.objects.get_or_create(username=f"bench-{role}", defaults={"role": role})
        client = Client()
        client.force_login(user)
        figures[f"dashboard_{role}"] = timed(lambda c=client: c.get(reverse("accounts:dashboard")), runs)
    pdf_runs = max(1, min(runs, 2))
    skm_pdf, recap_pdf = _pdf_makers(agency, year)
    figures["skm_pdf"] = timed(skm_pdf, pdf_runs)
    figures["recap_pdf"] = timed(recap_pdf, pdf_runs)

    port = submissions.free_port()
    log = ROOT / "bench" / "out" / "gunicorn-reads.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = submissions.gunicorn_start(port=port, workers=1, env=dict(os.environ), root=ROOT, log=log)
    try:
        submissions.wait_until_serving(port, server)
        query = f"periode={year.key}"
        paths = {
            "public_page": f"{reverse('public_results:regency')}?{query}",
            "chart_elements": f"{reverse('reports:chart_elements')}?{query}",
            "chart_trend": f"{reverse('reports:chart_trend')}?{query}",
            "chart_profile": f"{reverse('reports:chart_profile')}?{query}&dimensi=gender",
            "opendata": f"/api/v1/open-data/results?period={year.key}&format=json",
        }
        for key, path in paths.items():

            def get(path=path):
                status, _headers, _body = submissions.request(port, "GET", path)
                if status != 200:
                    raise SystemExit(f"GET {path}: HTTP {status}")

            figures[key] = timed(get, runs)
    finally:
        submissions.gunicorn_stop(server)
    return {"agency": agency.code, "year": year.key, "reads": figures}


def bare_rows() -> int:
    from django.db import connection

    from bench.urls_bare import BARE_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


def writes(data_set: str, total: int, clients: int, workers: int) -> dict:
    from django.db import connection

    from bench import submissions
    from bench.urls_bare import BARE_TABLE
    from demo.responses import demo_services, generate
    from surveys.models import Questionnaire, Response

    codes = [e.code for e in Questionnaire.objects.get(is_current=True).elements.all()]
    services = demo_services()
    start, end = years(data_set)
    run_sql(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)")
    connection.close()
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    port = submissions.free_port()
    log = ROOT / "bench" / "out" / "gunicorn-writes.log"
    server = submissions.gunicorn_start(
        port=port, workers=workers, env=dict(os.environ), root=ROOT, log=log, app="bench.wsgi_bare:application"
    )
    found = {}
    try:
        submissions.wait_until_serving(port, server)
        code_of = {s.pk: s.code for s in services}
        # Alternating: bare, api, form, bare again; the bare figure is the mean of its two runs.
        for seed, mode in enumerate(("bare", "api", "form", "bare"), start=11):
            rows = list(generate(services=services, codes=codes, total=total, start=start, end=end, seed=seed))
            count = bare_rows if mode == "bare" else Response.objects.count
            before = count()
            result = submissions.submit_load(port=port, mode=mode, rows=rows, codes=code_of, clients=clients)
            stored = count() - before
            got = {
                "acknowledged": result.stored,
                "stored": stored,
                "errors": sum(result.errors.values()),
                "rate": result.rate,
                "p50": result.percentile(0.5),
                "p99": result.percentile(0.99),
            }
            if mode == "bare" and "bare" in found:
                first = found["bare"]
                got = {k: (first[k] + got[k]) / 2 if k in ("rate", "p50", "p99") else first[k] + got[k] for k in got}
            found[mode] = got
    finally:
        submissions.gunicorn_stop(server)
    return found


def main() -> None:
    setup()
    step, data_set, *rest = sys.argv[1:]
    numbers = [int(value) for value in rest]
    done = {"generate": generate, "reads": reads, "writes": writes}[step](data_set, *numbers)
    print(json.dumps(done, default=str))


if __name__ == "__main__":
    main()
