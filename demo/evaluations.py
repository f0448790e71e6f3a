"""Demo follow-up: a few recommendations in different states, a request and an announcement, so
every dashboard and the public follow-up status have something to show. Made through the
evaluation services, exactly as people would make them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from agencies.models import Agency
from evaluations import services
from evaluations.models import Recommendation
from surveys import periods
from surveys.selectors import Scope, results

# A one-page PDF, enough to stand for a photo report of the follow-up.
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _last_semester(today: datetime.date) -> periods.Period:
    current = periods.semester(today.year, 1 if today.month <= 6 else 2)
    return periods.semester(today.year - 1, 2) if current.key.endswith("S1") else periods.semester(today.year, 1)


def _issue(agency: Agency, period: periods.Period, evaluator: User, due: datetime.date) -> Recommendation:
    found = results(scope=Scope(agency=agency), start=period.start, end=period.end)
    weakest = found.weakest_first()[:2]
    actions = [
        {
            "element_code": element.code,
            "text": f"Perbaiki unsur {element.code}: susun langkah perbaikan dan ukur hasilnya.",
        }
        for element in weakest
    ] or [{"element_code": "", "text": "Tingkatkan jumlah responden survei."}]
    return services.recommendation_issue(
        agency=agency,
        period=period,
        title=f"Peningkatan kualitas layanan {agency.name}",
        findings="Nilai unsur terendah perlu ditingkatkan agar mutu pelayanan naik.",
        actions=actions,
        due_date=due,
        actor=evaluator,
    )


def evaluations_load() -> int:
    """Create the demo recommendations once; returns how many were made."""
    if Recommendation.objects.exists():
        return 0
    evaluator = User.objects.filter(role=Role.EVALUATOR).first()
    admin = User.objects.filter(role=Role.SUPER_ADMIN).first()
    if evaluator is None or admin is None:
        return 0
    today = timezone.localdate()
    period = _last_semester(today)
    made = 0
    plan = {"activity": "Penambahan loket dan jadwal piket", "responsible": "Kepala Seksi Pelayanan"}
    for code, stage in (
        ("DISDUKCAPIL", "completed"),
        ("DPMPTSP", "issued"),
        ("DISHUB", "planned"),
        ("RSUD-KAYUAGUNG", "verified"),
    ):
        agency = Agency.objects.filter(code=code).first()
        operator = User.objects.filter(role=Role.OPERATOR, agency=agency).first() or admin
        if agency is None:
            continue
        due = today + datetime.timedelta(days=-5 if stage == "planned" else 30)
        if due < today:
            # Issued earlier with a due date that has now passed: overdue on the dashboards.
            recommendation = _issue(agency, period, evaluator, today)
            Recommendation.objects.filter(pk=recommendation.pk).update(due_date=due)
            recommendation.refresh_from_db()
        else:
            recommendation = _issue(agency, period, evaluator, due)
        made += 1
        if stage == "issued":
            continue
        services.recommendation_acknowledge(recommendation=recommendation, actor=operator)
        for action in recommendation.actions.all():
            services.action_plan(action=action, target_date=due, actor=operator, **plan)
            if stage == "planned":
                continue
            services.action_progress(
                action=action,
                note="Loket tambahan sudah dibuka.",
                evidence=SimpleUploadedFile("laporan-kegiatan.pdf", EVIDENCE),
                actor=operator,
            )
            services.action_complete(
                action=action, note="Kegiatan selesai dilaksanakan.", evidence=None, actor=operator
            )
            if stage == "verified":
                services.action_verify(action=action, actor=evaluator, note="Sesuai bukti.")
    operator = User.objects.filter(role=Role.OPERATOR).first()
    if operator is not None:
        services.request_create(
            actor=operator,
            category="feature",
            subject="Ekspor rekap per layanan",
            description="Mohon ditambahkan rekap per layanan dalam satu berkas untuk rapat bulanan.",
        )
    services.announcement_publish(
        actor=admin,
        title="Survei Semester ini ditutup akhir bulan",
        body="Mohon seluruh OPD memastikan jumlah responden memenuhi sampel minimal sebelum periode ditutup.",
    )
    return made
