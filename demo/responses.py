"""A year of demo survey responses for the OKI catalog.

Deterministic (one seeded ``random.Random``) and realistic enough to give every results page
something to show: agencies land in different grades (most A or B, a few C, one D), paper and
web responses mix, respondents vary in age, education and occupation, about one in ten leaves a
suggestion, and a handful of agencies and services have a population entered for the current
and the previous semester, some with enough responses and some short of the Krejcie & Morgan
minimum.

``generate`` yields plain rows and touches no database, so the benchmark reuses it at a larger
scale; ``responses_load`` stores them with their tallies.
"""

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from agencies.models import Agency, AgencyKind
from standards.models import Service
from surveys.models import Channel, Education, Gender, Occupation, Response, Status
from surveys.periods import Period, semester
from surveys.services import current_questionnaire, population_set
from surveys.tallies import tallies_add

JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULT_TOTAL = 12_000
SEED = 912021  # Peraturan Bupati OKI 91/2021, which brought the survey online
BULK_CHUNK = 2000
# tallies_add writes one statement per table; 500 responses stay far below the bound-parameter
# limits of SQLite and PostgreSQL (65,535).
TALLY_CHUNK = 500

# The mean answer (1–4) an agency's respondents give; score ≈ 25 × this. Agencies not listed
# draw theirs from GOOD_RANGE, which lands in grade A or B.
AGENCY_QUALITY = {
    "DPMPTSP": 3.68,
    "DISDUKCAPIL": 3.38,
    "RSUD-KAYUAGUNG": 2.9,
    "SATPOLPP": 3.62,
    "KEC-AIR-SUGIHAN": 2.8,
    "KEC-CENGAL": 2.86,
    "DISHUB": 2.42,
    "BAPENDA": 3.22,
}
GOOD_RANGE = (3.18, 3.78)

# How busy a service of an agency is, relative to an ordinary one.
AGENCY_VOLUME = {"DISDUKCAPIL": 3.2, "RSUD-KAYUAGUNG": 3.0, "DPMPTSP": 2.2, "PKM-KAYUAGUNG": 2.0, "BAPENDA": 1.4}
KIND_VOLUME = {AgencyKind.KECAMATAN: 0.75, AgencyKind.BAGIAN: 0.35}
QUIET_AGENCIES = {"INSPEKTORAT": 0.3, "BKPSDM": 0.6, "ORGANISASI": 0.35}

# What respondents think of each element next to their overall mood (fees are mostly free,
# waiting is what people complain about).
ELEMENT_BIAS = {
    "persyaratan": 0.05,
    "prosedur": 0.0,
    "waktu": -0.28,
    "biaya": 0.32,
    "produk": 0.06,
    "kompetensi": 0.08,
    "perilaku": 0.14,
    "maklumat": -0.08,
    "pengaduan": -0.2,
    "sarana": -0.12,
}
PAPER_SHARE = {AgencyKind.KECAMATAN: 0.55, AgencyKind.PUSKESMAS: 0.45, AgencyKind.RSUD: 0.35}
DEFAULT_PAPER_SHARE = 0.25
OPEN, CLOSE = 8 * 3600, 15 * 3600 + 30 * 60  # office hours, seconds after midnight
WEB_OPEN, WEB_CLOSE = 7 * 3600, 21 * 3600

EDUCATION_WEIGHTS = {
    Education.NONE: 2,
    Education.SD: 9,
    Education.SMP: 13,
    Education.SMA: 40,
    Education.DIPLOMA: 8,
    Education.S1: 23,
    Education.S2: 4,
    Education.S3: 1,
}
OCCUPATION_WEIGHTS = {
    Occupation.PNS: 12,
    Occupation.TNI: 2,
    Occupation.POLRI: 2,
    Occupation.SWASTA: 22,
    Occupation.WIRAUSAHA: 28,
    Occupation.PELAJAR: 4,
    Occupation.LAINNYA: 30,
}
SCHOOLED = {Education.SMA, Education.DIPLOMA, Education.S1, Education.S2, Education.S3}

SUGGESTIONS_GOOD = [
    "Petugas ramah dan cepat, terima kasih.",
    "Pelayanan sudah sangat baik, pertahankan.",
    "Prosesnya cepat, tidak sampai satu jam selesai.",
    "Terima kasih, petugas membantu menjelaskan persyaratan dengan sabar.",
    "Ruang tunggu bersih dan nyaman.",
    "Mantap, pelayanan gratis dan tidak ada pungutan.",
    "Semoga pelayanan online terus dikembangkan.",
]
SUGGESTIONS_MIXED = [
    "Mohon informasi persyaratan dipasang lebih jelas di depan loket.",
    "Sebaiknya ada nomor antrean online supaya tidak menunggu lama.",
    "Parkir kendaraan masih sempit, mohon diperluas.",
    "Toilet untuk pengunjung perlu lebih dijaga kebersihannya.",
    "Jam pelayanan mohon diperpanjang sampai sore.",
    "Perlu kursi tunggu tambahan, banyak yang berdiri.",
    "Mohon disediakan tempat untuk penyandang disabilitas dan lansia.",
]
SUGGESTIONS_BAD = [
    "Antrean terlalu panjang, mohon tambah loket.",
    "Petugas sering tidak ada di tempat saat jam kerja.",
    "Waktu penyelesaian tidak sesuai dengan yang dijanjikan.",
    "Saya harus bolak-balik karena persyaratan berubah-ubah.",
    "Nomor pengaduan tidak pernah diangkat.",
    "Ruang tunggu panas, AC tidak berfungsi.",
    "Mohon petugas lebih sopan kepada masyarakat.",
    "Sistem sering gangguan, jaringan lambat.",
]
SUGGESTIONS_BY_KIND = {
    AgencyKind.RSUD: ["Antrean poli terlalu lama, dokter datang terlambat.", "Mohon tambah tempat tidur rawat inap."],
    AgencyKind.PUSKESMAS: ["Obat sering kosong, mohon diperhatikan.", "Bidan dan perawat sangat membantu."],
    AgencyKind.KECAMATAN: ["Camat dan staf mudah ditemui, terima kasih.", "Blanko sering habis, harus datang lagi."],
}

# (agency code, service code or None for the whole agency, population of the previous
# semester, population of the current one). Large populations against a quiet service fall
# short of the minimum sample; the busy agencies and the small NIB help desk meet it.
POPULATIONS = [
    ("DISDUKCAPIL", None, 21_500, 19_800),
    ("DISDUKCAPIL", "DUKCAPIL-KTPEL", 6_400, 5_900),
    ("RSUD-KAYUAGUNG", None, 38_000, 35_500),
    ("DPMPTSP", "DPMPTSP-NIB", 180, 165),
    ("PKM-KAYUAGUNG", "PKM-KAYUAGUNG-IMUNISASI", 2_300, 2_150),
    ("KEC-KAYUAGUNG", None, 1_900, 1_750),
    ("DISHUB", "DISHUB-KIR", 3_200, 2_900),
    ("KEC-JEJAWI", "KEC-JEJAWI-SKTM", 140, 120),
]


@dataclass(frozen=True, slots=True)
class Row:
    """One generated response, not yet stored."""

    service_id: int
    day: datetime.date
    submitted_at: datetime.datetime
    channel: str
    gender: str
    age: int
    education: str
    occupation: str
    answers: dict[str, int]
    suggestion: str
    assisted: bool = False


def year_window(now: datetime.datetime | None = None) -> tuple[datetime.date, datetime.date]:
    """The 12 months up to today (Asia/Jakarta): from the day after the same date last year."""
    today = timezone.localtime(now or timezone.now(), JAKARTA).date()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + datetime.timedelta(days=1), today


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` over ``weights`` exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def generate(
    *,
    services: Sequence[Service],
    codes: Sequence[str],
    total: int,
    start: datetime.date,
    end: datetime.date,
    seed: int = SEED,
    now: datetime.datetime | None = None,
) -> Iterator[Row]:
    """Yield ``total`` responses spread over ``services`` (with their agency loaded) between
    ``start`` and ``end``, service by service. The same arguments yield the same rows; no
    response is dated after ``now``."""
    rng = random.Random(seed)
    now_local = timezone.localtime(now or timezone.now(), JAKARTA)
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    # Busier on working days, and busier as the survey became known over the year.
    day_weights = [
        (1.0 if day.weekday() < 5 else 0.2 if day.weekday() == 5 else 0.1) * (0.75 + 0.5 * i / len(days))
        for i, day in enumerate(days)
    ]
    if days[-1] == now_local.date() and now_local.hour * 3600 < OPEN + 3600:
        day_weights[-1] = 0.0  # today's office has barely opened
    cumulative, running = [], 0.0
    for weight in day_weights:
        running += weight
        cumulative.append(running)

    services = sorted(services, key=lambda s: s.code)
    quality: dict[str, float] = {}
    for agency_code in sorted({s.agency.code for s in services}):
        quality[agency_code] = AGENCY_QUALITY.get(agency_code) or rng.uniform(*GOOD_RANGE)
    weights = [
        AGENCY_VOLUME.get(s.agency.code, QUIET_AGENCIES.get(s.agency.code, KIND_VOLUME.get(s.agency.kind, 1.0)))
        * rng.lognormvariate(0, 0.35)
        for s in services
    ]
    biases = [(code, ELEMENT_BIAS.get(code, 0.0)) for code in codes]
    day_index = {day: i for i, day in enumerate(days)}
    midnight = {day: datetime.datetime.combine(day, datetime.time(), tzinfo=JAKARTA) for day in days}

    for service, count in zip(services, _allocate(total, weights), strict=True):
        agency = service.agency
        level = quality[agency.code] + rng.gauss(0, 0.05)
        cost_bias = 0.0 if "gratis" in service.cost.lower() or "tidak dipungut" in service.cost.lower() else -0.45
        paper_share = PAPER_SHARE.get(agency.kind, DEFAULT_PAPER_SHARE)
        health = agency.kind in (AgencyKind.RSUD, AgencyKind.PUSKESMAS) or service.code.endswith("-KIA")
        civil_service = agency.code == "BKPSDM"
        extra_suggestions = SUGGESTIONS_BY_KIND.get(agency.kind, [])
        for day in sorted(rng.choices(days, cum_weights=cumulative, k=count)):
            weekend = day.weekday() >= 5
            channel = Channel.WEB if weekend or rng.random() >= paper_share else Channel.PAPER
            opens, closes = (WEB_OPEN, WEB_CLOSE) if weekend else (OPEN, CLOSE)
            if day == now_local.date():
                closes = max(opens + 60, min(closes, now_local.hour * 3600 + now_local.minute * 60 - 60))
            seconds = rng.randint(opens, closes)
            submitted_at = midnight[day] + datetime.timedelta(seconds=seconds)

            # Improving slowly over the year; each respondent in a better or worse mood.
            mood = level + 0.12 * (day_index[day] / len(days) - 0.5) + rng.gauss(0, 0.22)
            answers = {}
            for code, bias in biases:
                mean = mood + bias + (cost_bias if code == "biaya" else 0.0)
                p = (min(max(mean, 1.05), 3.95) - 1) / 3
                answers[code] = 1 + (rng.random() < p) + (rng.random() < p) + (rng.random() < p)

            age, education, occupation = _profile(rng)
            if civil_service:  # staff services: the respondents are civil servants
                age, occupation = rng.randint(24, 60), Occupation.PNS
                if education not in SCHOOLED:
                    education = Education.S1
            gender = Gender.FEMALE if rng.random() < (0.62 if health else 0.47) else Gender.MALE

            suggestion = ""
            if rng.random() < 0.1:
                average = sum(answers.values()) / len(answers)
                pool = SUGGESTIONS_BAD if average < 2.9 else SUGGESTIONS_GOOD if average >= 3.5 else SUGGESTIONS_MIXED
                if extra_suggestions and rng.random() < 0.3:
                    pool = extra_suggestions
                suggestion = rng.choice(pool)
            # At the counter, staff fill in the paper form for the elderly and for those who read
            # with difficulty; drawn from what is known already, so the random sequence is unchanged.
            assisted = channel == Channel.PAPER and (age >= 60 or education in (Education.NONE, Education.SD))
            yield Row(
                service.pk,
                day,
                submitted_at,
                channel,
                gender,
                age,
                education,
                occupation,
                answers,
                suggestion,
                assisted,
            )


def _profile(rng: random.Random) -> tuple[int, str, str]:
    """Age, education and occupation that go together (pupils are young, civil servants
    finished secondary school at least)."""
    age = int(rng.triangular(17, 76, 33))
    if age <= 20:
        education = rng.choice([Education.SMP, Education.SMA, Education.SMA, Education.SMA])
        return age, education, Occupation.PELAJAR if rng.random() < 0.6 else Occupation.LAINNYA
    education = rng.choices(list(EDUCATION_WEIGHTS), list(EDUCATION_WEIGHTS.values()))[0]
    if age >= 58 and education in (Education.S2, Education.S3) and rng.random() < 0.5:
        education = Education.SMA
    weights = [
        0
        if (value == Occupation.PELAJAR and age > 25)
        or (value in (Occupation.TNI, Occupation.POLRI) and age > 58)
        or (value == Occupation.PNS and education not in SCHOOLED)
        else weight
        for value, weight in OCCUPATION_WEIGHTS.items()
    ]
    return age, education, rng.choices(list(OCCUPATION_WEIGHTS), weights)[0]


def demo_services() -> list[Service]:
    """Published services of active agencies: the ones that take responses."""
    return list(Service.objects.filter(is_published=True, agency__is_active=True).select_related("agency"))


def responses_load(*, total: int = DEFAULT_TOTAL, seed: int = SEED, now: datetime.datetime | None = None) -> int:
    """Store ``total`` demo responses over the 12 months up to ``now`` with their tallies, and
    the demo populations, and a held burst for the review queue, in one transaction. Returns
    how many counted responses were stored."""
    services = demo_services()
    if not services or total <= 0:
        return 0
    questionnaire = current_questionnaire()
    codes = [element.code for element in questionnaire.elements.all()]
    start, end = year_window(now)
    rows = sorted(
        generate(services=services, codes=codes, total=total, start=start, end=end, seed=seed, now=now),
        key=lambda row: row.submitted_at,
    )
    responses = [
        Response(
            service_id=row.service_id,
            questionnaire=questionnaire,
            submitted_at=row.submitted_at,
            day=row.day,
            channel=row.channel,
            gender=row.gender,
            age=row.age,
            education=row.education,
            occupation=row.occupation,
            answers=row.answers,
            suggestion=row.suggestion,
            assisted=row.assisted,
        )
        for row in rows
    ]
    with transaction.atomic():
        for first in range(0, len(responses), BULK_CHUNK):
            chunk = responses[first : first + BULK_CHUNK]
            Response.objects.bulk_create(chunk, batch_size=BULK_CHUNK)
            for sub in range(0, len(chunk), TALLY_CHUNK):
                tallies_add(chunk[sub : sub + TALLY_CHUNK])
        populations_load(today=end)
        held_burst_load(services=services, codes=codes, questionnaire=questionnaire, today=end)
    return len(responses)


BURST_SIZE = 14


def held_burst_load(*, services: Sequence[Service], codes: Sequence[str], questionnaire, today: datetime.date) -> int:
    """A scripted burst for the review queue to show: three days before ``today``, fourteen
    all-1 web surveys to one kecamatan service within four minutes, stored held by the
    ``pattern_burst`` rule as the live rules would have held them (held responses are in no
    tally). Returns how many were stored."""
    kecamatan = sorted((s for s in services if s.agency.kind == AgencyKind.KECAMATAN), key=lambda s: s.code)
    if not kecamatan:
        return 0
    service = kecamatan[0]
    day = today - datetime.timedelta(days=3)
    start = datetime.datetime.combine(day, datetime.time(21, 40), tzinfo=JAKARTA)
    burst = [
        Response(
            service=service,
            questionnaire=questionnaire,
            submitted_at=start + datetime.timedelta(seconds=17 * number),
            day=day,
            channel=Channel.WEB,
            gender=Gender.MALE,
            age=30 + number % 3,
            education=Education.SMA,
            occupation=Occupation.LAINNYA,
            answers=dict.fromkeys(codes, 1),
            status=Status.HELD,
            held_rule="pattern_burst",
            status_reason="Held automatically: part of a burst (rule pattern_burst).",
            status_changed_at=start + datetime.timedelta(seconds=17 * number),
        )
        for number in range(BURST_SIZE)
    ]
    Response.objects.bulk_create(burst)
    return len(burst)


def populations_load(*, today: datetime.date) -> int:
    """Enter the demo populations for the semester of ``today`` and the one before it."""
    current = semester(today.year, 1 if today.month <= 6 else 2)
    previous = _previous_semester(current)
    agencies = {a.code: a for a in Agency.objects.filter(code__in={code for code, *_rest in POPULATIONS})}
    services = {s.code: s for s in Service.objects.filter(code__in={row[1] for row in POPULATIONS if row[1]})}
    admin = User.objects.filter(role=Role.SUPER_ADMIN).order_by("pk").first()
    operators = {u.agency_id: u for u in User.objects.filter(role=Role.OPERATOR).order_by("pk")}
    stored = 0
    for agency_code, service_code, previous_population, current_population in POPULATIONS:
        agency = agencies.get(agency_code)
        service = services.get(service_code) if service_code else None
        actor = operators.get(agency.pk, admin) if agency else None
        if agency is None or (service_code and service is None) or actor is None:
            continue
        for period, population in ((previous, previous_population), (current, current_population)):
            population_set(
                agency=agency, service=service, start=period.start, end=period.end, population=population, actor=actor
            )
            stored += 1
    return stored


def _previous_semester(period: Period) -> Period:
    if period.start.month == 1:
        return semester(period.start.year - 1, 2)
    return semester(period.start.year, 1)
