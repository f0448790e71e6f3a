"""Every URL of the project × every role, with the status each must get.

A new view must be added to MATRIX, or test_every_url_is_in_the_matrix fails. Objects in the
URLs belong to agency A, so operator B stands for "an operator of another agency": 404.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff(status=200, anonymous=LOGIN, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], status), **overrides}


ADMIN_ONLY = staff(403, super_admin=200)
EDITORS_OWN = staff(403, super_admin=200, operator_a=200, operator_b=404)
EDITORS = staff(403, super_admin=200, operator_a=200, operator_b=200)
SCOPED_READ = staff(200, operator_b=404)

# url name: (method, kwargs builder, expected status per role)
MATRIX = {
    "standards:home": ("get", {}, everyone(200)),
    "standards:search": ("get", {}, everyone(200)),
    "standards:agency_detail": ("get", {"code": "OPD-A"}, everyone(200)),
    "standards:service_detail": ("get", {"code": "A-KTP"}, everyone(200)),
    "accounts:login": ("get", {}, staff(302, anonymous=200)),
    "accounts:logout": ("post", {}, everyone(302)),
    "accounts:password_change": ("get", {}, staff()),
    "accounts:password_reset": ("get", {}, everyone(200)),
    "accounts:password_reset_done": ("get", {}, everyone(200)),
    # A made-up link: the page says it does not work, for anyone.
    "accounts:password_reset_confirm": ("get", {"uidb64": "MQ", "token": "1a-bad"}, everyone(200)),
    "accounts:password_reset_complete": ("get", {}, everyone(200)),
    "accounts:password_change_done": ("get", {}, staff()),
    "accounts:dashboard": ("get", {}, staff()),
    "accounts:two_factor": ("get", {}, staff(403, super_admin=200, evaluator=200)),
    # Without a second factor to give, straight on to the dashboard.
    "accounts:two_factor_verify": ("get", {}, staff(302)),
    "accounts:user_list": ("get", {}, ADMIN_ONLY),
    "accounts:user_create": ("get", {}, ADMIN_ONLY),
    "accounts:user_edit": ("get", {"pk": "operator_a"}, ADMIN_ONLY),
    "accounts:user_password": ("get", {"pk": "operator_a"}, ADMIN_ONLY),
    "accounts:audit_log": ("get", {}, ADMIN_ONLY),
    "agencies:staff_agency_list": ("get", {}, staff()),
    "agencies:agency_create": ("get", {}, ADMIN_ONLY),
    "agencies:agency_edit": ("get", {"code": "OPD-A"}, ADMIN_ONLY),
    "agencies:pledge_edit": ("get", {"code": "OPD-A"}, EDITORS_OWN),
    "agencies:pledge_poster": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "agencies:regency_identity": ("get", {}, ADMIN_ONLY),
    "agencies:regency_logo": ("get", {}, everyone(200)),
    "standards:staff_service_list": ("get", {}, staff()),
    "standards:service_create": ("get", {}, EDITORS),
    "standards:catalog_upload": ("get", {}, ADMIN_ONLY),
    "standards:service_edit": ("get", {"code": "A-KTP"}, EDITORS_OWN),
    "standards:service_history": ("get", {"code": "A-KTP"}, SCOPED_READ),
    "standards:synonyms_edit": ("get", {}, ADMIN_ONLY),
    "standards:agency_completeness": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "standards:service_review": (
        "post",
        {"code": "A-KTP"},
        staff(403, super_admin=302, operator_a=302, operator_b=404),
    ),
    "standards:service_documents": ("get", {"code": "A-KTP"}, EDITORS_OWN),
    "standards:service_document_delete": (
        "post",
        {"pk": "service_document_a"},
        staff(403, super_admin=302, operator_a=302, operator_b=404),
    ),
    # A document not marked public: the agency's staff and overseers only, 404 for anyone else.
    "standards:service_document_file": ("get", {"pk": "service_document_a"}, staff(200, anonymous=404, operator_b=404)),
    "standards:privacy": ("get", {}, everyone(200)),
    "standards:accessibility": ("get", {}, everyone(200)),
    "survey:index": ("get", {}, everyone(200)),
    "survey:agency_survey": ("get", {"code": "OPD-A"}, everyone(200)),
    "survey:service_survey": ("get", {"code": "A-KTP"}, everyone(200)),
    "survey:thanks": ("get", {}, everyone(200)),
    "survey:service_worker": ("get", {}, everyone(200)),
    "kiosks:list": ("get", {}, staff()),
    "kiosks:create": ("get", {}, EDITORS),
    "kiosks:detail": ("get", {"pk": "kiosk_a"}, SCOPED_READ),
    "kiosks:reenrol": ("post", {"pk": "kiosk_a"}, staff(403, super_admin=302, operator_a=302, operator_b=404)),
    "kiosks:revoke": ("post", {"pk": "kiosk_a"}, staff(403, super_admin=302, operator_a=302, operator_b=404)),
    # The kiosk pages open only on an enrolled tablet (its own credential, not a staff login).
    "kiosk:enrol": ("get", {}, everyone(200)),
    "kiosk:home": ("get", {}, everyone(403)),
    "kiosk:survey": ("get", {"code": "A-KTP"}, everyone(403)),
    "kiosk:thanks": ("get", {}, everyone(403)),
    "questionnaire:list": ("get", {}, staff()),
    "questionnaire:detail": ("get", {"version": 1}, staff()),
    "questionnaire:edit": ("get", {}, ADMIN_ONLY),
    "questionnaire:preset": ("post", {}, staff(403, super_admin=302)),
    "results:regency": ("get", {}, staff(200, operator_a=302, operator_b=302)),
    "results:agency": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "results:service": ("get", {"code": "A-KTP"}, SCOPED_READ),
    "results:suggestions": ("get", {"code": "OPD-A"}, SCOPED_READ),
    # Contacts for a reply: the agency's own operators only (UU 27/2022), by role before any fetch.
    "results:reply_contacts": ("get", {"code": "OPD-A"}, staff(403, operator_a=200, operator_b=404)),
    "results:population": ("get", {"code": "OPD-A"}, EDITORS_OWN),
    "results:suggestion_hide": (
        "post",
        {"pk": "response_a"},
        staff(403, super_admin=302, operator_a=302, operator_b=404),
    ),
    # "You said, we did": the agency's operators (and super admins) publish; evaluators take down.
    "results:suggestion_answers": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "results:suggestion_answer": ("get", {"pk": "response_a"}, EDITORS_OWN),
    "results:suggestion_answer_unpublish": ("get", {"pk": "answer_a"}, staff(403, super_admin=200, evaluator=200)),
    # Operators see their own agency's held count; only evaluators and super admins decide.
    "review:index": ("get", {}, staff(200, operator_a=302, operator_b=302)),
    "review:agency": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "review:decide": ("post", {"code": "OPD-A"}, staff(403, super_admin=302, evaluator=302, operator_b=404)),
    "review:batches": ("get", {}, staff()),
    "review:batch_decide": ("post", {"pk": "batch_a"}, staff(403, super_admin=302, evaluator=302, operator_b=404)),
    "paper:upload": ("get", {}, EDITORS),
    "paper:template": ("get", {}, EDITORS),
    "paper:agency_poster": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "paper:service_poster": ("get", {"code": "A-KTP"}, SCOPED_READ),
    "paper:agency_form": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "paper:service_form": ("get", {"code": "A-KTP"}, SCOPED_READ),
    "reports:chart_elements": ("get", {}, everyone(200)),
    "reports:chart_trend": ("get", {}, everyone(200)),
    "reports:chart_profile": ("get", {}, everyone(200)),
    "reports:skm_report": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "coordination:request_list": ("get", {}, staff(403, super_admin=200, operator_a=200, operator_b=200)),
    "coordination:request_create": ("get", {}, staff(403, operator_a=200, operator_b=200)),
    "coordination:request_detail": ("get", {"pk": "request_a"}, EDITORS_OWN),
    "coordination:request_attachment": ("get", {"pk": "request_a"}, EDITORS_OWN),
    "coordination:announcement_list": ("get", {}, staff(403, super_admin=200, operator_a=200, operator_b=200)),
    "coordination:announcement_create": ("get", {}, ADMIN_ONLY),
    "coordination:announcement_detail": ("get", {"pk": "announcement_a"}, EDITORS_OWN),
    "coordination:announcement_read": ("post", {"pk": "announcement_a"}, staff(403, operator_a=302, operator_b=404)),
    "public_results:regency": ("get", {}, everyone(200)),
    "public_results:agency": ("get", {"code": "OPD-A"}, everyone(200)),
    "api:opendata": ("get", {}, everyone(200)),
    "evaluations:recommendation_list": ("get", {}, staff()),
    "evaluations:recommendation_issue": ("get", {"agency_code": "OPD-A"}, staff(403, super_admin=200, evaluator=200)),
    "evaluations:recommendation_detail": ("get", {"pk": "recommendation_a"}, SCOPED_READ),
    "evaluations:recommendation_acknowledge": (
        "post",
        {"pk": "recommendation_a"},
        staff(403, super_admin=302, operator_a=302, operator_b=404),
    ),
    # 200: the page again with the refusal (no data sent); another agency's operator: 404.
    "evaluations:action_plan": (
        "post",
        {"pk": "action_a"},
        staff(403, super_admin=200, operator_a=200, operator_b=404),
    ),
    "evaluations:action_progress": (
        "post",
        {"pk": "action_a"},
        staff(403, super_admin=200, operator_a=200, operator_b=404),
    ),
    "evaluations:action_complete": (
        "post",
        {"pk": "action_a"},
        staff(403, super_admin=200, operator_a=200, operator_b=404),
    ),
    # Evaluator-side steps are closed to every operator by role, before any object is fetched.
    "evaluations:action_verify": ("post", {"pk": "action_a"}, staff(403, super_admin=200, evaluator=200)),
    "evaluations:action_return": ("post", {"pk": "action_a"}, staff(403, super_admin=200, evaluator=200)),
    "evaluations:evidence": ("get", {"pk": "evidence_a"}, SCOPED_READ),
    "evaluation_print:recommendation_pdf": ("get", {"pk": "recommendation_a"}, SCOPED_READ),
    "exports:index": ("get", {}, staff()),
    "exports:download": ("get", {"identifier": "respons", "fmt": "csv"}, staff()),
    # 400: a POST naming no export; the file of an export: its requester only, 404 for anyone else.
    "exports:job_create": ("post", {}, staff(400)),
    "exports:job_file": ("get", {"pk": "export_a"}, staff(404, operator_a=200)),
    "reports:skm_report_send": ("get", {"code": "OPD-A"}, staff(200, leader=403, operator_b=404)),
    "reports:regency_recap": ("get", {}, staff(200, operator_a=403, operator_b=403)),
    # 302 back to the recap page, which shows the recap being prepared.
    "reports:regency_recap_prepare": ("post", {}, staff(302, operator_a=403, operator_b=403)),
    # The self-assessment pack: operators are taken to their own agency's pack, as on the results
    # pages; the regency's PDF is the overseers' only.
    "reports:self_assessment_regency": ("get", {}, staff(200, operator_a=302, operator_b=302)),
    "reports:self_assessment_regency_pdf": ("get", {}, staff(200, operator_a=403, operator_b=403)),
    "reports:self_assessment_agency": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "reports:self_assessment_agency_pdf": ("get", {"code": "OPD-A"}, SCOPED_READ),
    "documents:verify": ("get", {"code": "document_a"}, everyone(200)),
    "operations:health": ("get", {}, everyone(200)),
    "outbox:problems": ("get", {}, ADMIN_ONLY),
    # 302 back to the list (with "only a failed email can be sent again" for this queued one).
    "outbox:resend": ("post", {"pk": "email_a"}, staff(403, super_admin=302)),
    "api:agencies": ("get", {}, everyone(200)),
    "api:services": ("get", {}, everyone(200)),
    "api:schema": ("get", {}, everyone(200)),
    "api:docs": ("get", {}, everyone(200)),
    "api:questionnaire": ("get", {}, everyone(200)),
    "api:responses": ("post", {}, everyone(400)),
    "api:ikm": ("get", {}, everyone(200)),
    "set_language": ("post", {}, everyone(302)),
}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_is_in_the_matrix():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - MATRIX.keys() == set(), "add these URLs to the access matrix"
    assert MATRIX.keys() - names == set(), "these matrix entries name no URL"


def _agency_a_objects(actors, service_a, submit):
    """One object of each agency-scoped kind, belonging to agency A."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agencies.services import regency_identity_update
    from evaluations import services as evaluation
    from kiosks.services import kiosk_register
    from outbox.services import emails_queue
    from reports.exports import export_run
    from reports.models import ExportJob
    from standards.services import service_document_add
    from surveys.answers import suggestion_answer_publish
    from surveys.models import Questionnaire
    from surveys.periods import current_semester
    from surveys.posters import poster_issue
    from surveys.services import PaperRow, Profile, responses_import

    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    submit(service_a, answers=3)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    regency_identity_update(
        actor=actors["super_admin"], data={"name": "Kabupaten Uji"}, logo=SimpleUploadedFile("logo.svg", svg)
    )

    def issue(title):
        return evaluation.recommendation_issue(
            agency=service_a.agency,
            period=current_semester(),
            title=title,
            findings="Waktu pelayanan lambat",
            actions=[{"element_code": "waktu", "text": "Tambah loket"}],
            due_date=datetime.date.today() + datetime.timedelta(days=30),
            actor=actors["evaluator"],
        )

    recommendation = issue("Percepat pelayanan")
    document, _content = poster_issue(agency=service_a.agency, service=service_a, actor=actors["operator_a"])
    followed = issue("Tambah petugas")
    evaluation.recommendation_acknowledge(recommendation=followed, actor=actors["operator_a"])
    followed_action = followed.actions.get()
    evaluation.action_plan(
        action=followed_action,
        activity="Loket tambahan",
        responsible="Kasi Pelayanan",
        target_date=datetime.date.today() + datetime.timedelta(days=20),
        actor=actors["operator_a"],
    )
    evidence = evaluation.action_progress(
        action=followed_action,
        note="Loket dibuka",
        evidence=SimpleUploadedFile("foto.pdf", b"%PDF-1.4\n%%EOF\n"),
        actor=actors["operator_a"],
    )
    answered = submit(service_a, suggestion="Ruang tunggu panas")
    answer = suggestion_answer_publish(
        response=answered, suggestion="Ruang tunggu panas", answer="Kipas dipasang", actor=actors["operator_a"]
    )
    return {
        "recommendation_a": recommendation,
        "answer_a": answer,
        # The verification page is found by the printed code, not by a primary key.
        "document_a": SimpleNamespace(pk=document.code),
        "action_a": recommendation.actions.get(),
        "evidence_a": evidence,
        "response_a": submit(service_a, suggestion="Antrean terlalu panjang"),
        "batch_a": responses_import(
            rows=[
                PaperRow(
                    service=service_a,
                    questionnaire=Questionnaire.objects.get(is_current=True),
                    answers={"waktu": 3},
                    profile=Profile(gender="L", age=40, education="sma", occupation="swasta"),
                    suggestion="",
                    day=datetime.date.today(),
                )
            ],
            filename="kertas.csv",
            sha256="b" * 64,
            actor=actors["operator_a"],
            agency=service_a.agency,
        ),
        "service_document_a": service_document_add(
            service=service_a,
            kind="sop",
            title="SOP Penerbitan KTP-el",
            file=SimpleUploadedFile("sop.pdf", b"%PDF-1.4\n%%EOF\n"),
            is_public=False,
            actor=actors["operator_a"],
        ),
        "kiosk_a": kiosk_register(name="Loket 1", agency=service_a.agency, service=None, actor=None)[0],
        "request_a": evaluation.request_create(
            actor=actors["operator_a"],
            category="fix",
            subject="Perbaikan",
            description="Mohon diperbaiki",
            attachment=pdf,
        ),
        "export_a": export_run(
            job_id=ExportJob.objects.create(
                requested_by=actors["operator_a"],
                identifier="respons",
                fmt="csv",
                agency=service_a.agency,
                period_key=current_semester().key,
                filename="respons-OPD-A.csv",
            ).pk
        ),
        "email_a": emails_queue(recipients=["kepala@opd-a.example"], subject="Rekomendasi", body="Lihat SI-PUTRI")[0],
        "announcement_a": evaluation.announcement_publish(
            actor=actors["super_admin"], title="Survei semester I", body="Ditutup 30 Juni", agencies=[service_a.agency]
        ),
    }


def _request(name, role, client_for, objects):
    method, kwargs, _expected = MATRIX[name]
    kwargs = {key: objects[value].pk if value in objects else value for key, value in kwargs.items()}
    return getattr(client_for(objects.get(role)), method)(reverse(name, kwargs=kwargs))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_expected_status(name, role, client_for, actors, service_a, service_b, submit):
    expected = MATRIX[name][2][role]
    objects = {**actors, **_agency_a_objects(actors, service_a, submit)}
    response = _request(name, role, client_for, objects)
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} on {name}"
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, f"{role} on {name}"
