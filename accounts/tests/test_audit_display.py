"""The audit log and a service's history speak the reader's language: actions, field names
and values in words, one date format, no ids or placeholders of relations."""

import pytest
from django.urls import reverse

from evaluations import services as evaluation
from standards.services import service_save

pytestmark = pytest.mark.django_db


def _changes_html(html):
    return html[html.index("<main") :]


def test_service_history_shows_actions_fields_and_values_in_words(client, super_admin, service_a):
    service_save(service=service_a, data={"is_published": False, "cost": "Rp 0"})
    client.force_login(super_admin)
    html = _changes_html(client.get(reverse("standards:service_history", args=["A-KTP"])).content.decode())
    assert "diubah" in html and "dibuat" in html
    assert "<strong>Terbit</strong>: <del>ya</del> → <ins>tidak</ins>" in html
    assert "<strong>Biaya/tarif</strong>: <del>Gratis</del> → <ins>Rp 0</ins>" in html
    for raw in ("True", "False", "None", ">create<", ">update<"):
        assert raw not in html


def test_audit_log_names_objects_and_leaves_out_ids_and_relation_placeholders(client, super_admin, agency_a):
    evaluation.announcement_publish(actor=super_admin, title="Survei ditutup", body="Akhir bulan", agencies=[agency_a])
    client.force_login(super_admin)
    html = _changes_html(client.get(reverse("accounts:audit_log")).content.decode())
    assert "Pengumuman: Survei ditutup" in html
    assert ".None" not in html and "<strong>ID</strong>" not in html
