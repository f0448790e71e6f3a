import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from surveys.models import Element, Questionnaire
from surveys.presets import NATIONAL_ELEMENTS, OKI_ELEMENTS

pytestmark = pytest.mark.django_db

LIST = reverse("questionnaire:list")
EDIT = reverse("questionnaire:edit")
PRESET = reverse("questionnaire:preset")
NOT_ADMINS = ("evaluator", "leader", "operator_a", "operator_b")
OKI_CODES = [element["code"] for element in OKI_ELEMENTS]


@pytest.fixture
def admin_client(client_for, super_admin, questionnaire):
    client = client_for(super_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def editor_form(client):
    """What a browser posts back from the editor as it was rendered (disabled fields, empty
    values and unticked boxes are not sent)."""
    context = client.get(EDIT).context
    data = {}
    for form in (context["version_form"], context["formset"].management_form, *context["formset"]):
        for field in form:
            value = field.value()
            if not field.field.disabled and value not in (None, "", False):
                data[field.html_name] = value
    return data


def row_of(code):
    """The form prefix of the row showing element ``code``."""
    elements = list(Questionnaire.objects.get(is_current=True).elements.values_list("code", flat=True))
    return f"element-{elements.index(code)}-"


def new_row(data, number, **values):
    """Fill the ``number``-th empty row (0-based) with a new element."""
    prefix = f"element-{int(data['element-INITIAL_FORMS']) + number}-"
    row = {
        "code": "kebersihan",
        "name_id": "Kebersihan",
        "name_en": "Cleanliness",
        "question_id": "Bagaimana kebersihan ruang pelayanan?",
        "question_en": "How clean was the service room?",
        **{f"label_id_{v}": label for v, label in enumerate(["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"], 1)},
        **{f"label_en_{v}": label for v, label in enumerate(["Dirty", "Not very clean", "Clean", "Very clean"], 1)},
        **values,
    }
    data.update({prefix + key: value for key, value in row.items()})
    return data


def row_errors(response, index, field):
    """The messages shown by one field of editor row ``index``, in English."""
    with translation.override("en"):
        return [str(error) for error in response.context["formset"].forms[index].errors[field]]


def current():
    return Questionnaire.objects.get(is_current=True)


def elements_of(questionnaire):
    return list(
        questionnaire.elements.values("code", "position", "question_id", "question_en", "labels_id", "labels_en")
    )


# Who may do what


@pytest.mark.parametrize("role", ["super_admin", *NOT_ADMINS])
def test_every_staff_role_reads_the_questionnaire_and_its_versions(client_for, actors, role, questionnaire):
    client = client_for(actors[role])
    for url in (LIST, reverse("questionnaire:detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert OKI_ELEMENTS[0]["question_id"] in html and OKI_ELEMENTS[0]["question_en"] in html
        assert "Tersedia dan sangat jelas" in html and "Available and very clear" in html


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_the_super_admin_may_edit_or_switch_presets(client_for, actors, role, questionnaire):
    client = client_for(actors[role])
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"version-name": "x"}).status_code == 403
    assert client.post(PRESET, {"preset": "national"}).status_code == 403
    assert Questionnaire.objects.count() == 1
    html = client.get(LIST).content.decode()
    assert EDIT not in html and PRESET not in html


def test_anonymous_visitors_are_sent_to_sign_in(client_for, questionnaire):
    client = client_for(None)
    for url in (LIST, reverse("questionnaire:detail", args=[1]), EDIT, PRESET):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(PRESET, {"preset": "national"}).status_code == 302
    assert Questionnaire.objects.count() == 1


def test_the_preset_switch_only_answers_post(admin_client):
    assert admin_client.get(PRESET).status_code == 405


def test_super_admin_sees_the_editor_and_both_presets(admin_client):
    html = admin_client.get(LIST).content.decode()
    assert EDIT in html
    assert "Use the OKI preset (10 elements)" in html
    assert "Use the national preset (9 elements, PermenPANRB 14/2017)" in html
    response = admin_client.get(EDIT)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 10 + 3
    assert response.context["version_form"]["name"].value() == "SKM Kabupaten Ogan Komering Ilir (10 unsur)"


def test_an_unknown_version_is_not_found(admin_client):
    assert admin_client.get(reverse("questionnaire:detail", args=[99])).status_code == 404


def test_the_list_counts_the_responses_of_each_earlier_version(admin_client, submit, service_a):
    submit(service_a)
    submit(service_a)
    data = editor_form(admin_client)
    data[row_of("waktu") + "question_en"] = "How quick was the service?"
    admin_client.post(EDIT, data)
    response = admin_client.get(LIST)
    assert response.context["current"].version == 2
    assert [(v.version, v.response_count) for v in response.context["earlier"]] == [(1, 2)]
    html = response.content.decode()
    assert "How quick was the service?" in html
    assert reverse("questionnaire:detail", args=[1]) in html
    old = admin_client.get(reverse("questionnaire:detail", args=[1])).content.decode()
    assert "How fast was the service?" in old and "How quick was the service?" not in old


# Saving


def test_a_wording_change_makes_exactly_one_new_version(admin_client, questionnaire):
    before = elements_of(questionnaire)
    data = editor_form(admin_client)
    prefix = row_of("biaya")
    data[prefix + "question_id"] = "Apakah biaya pelayanan wajar?"
    data[prefix + "label_en_4"] = "Free of charge"
    response = admin_client.post(EDIT, data, follow=True)
    assert "Version 2 saved and now in use." in response.content.decode()
    assert Questionnaire.objects.count() == 2
    new = current()
    assert new.version == 2 and new.name == questionnaire.name
    after = elements_of(new)
    changed = after[3]
    assert changed["question_id"] == "Apakah biaya pelayanan wajar?"
    assert changed["labels_en"] == ["Very expensive", "Rather expensive", "Cheap", "Free of charge"]
    assert [e for i, e in enumerate(after) if i != 3] == [e for i, e in enumerate(before) if i != 3]
    assert elements_of(Questionnaire.objects.get(version=1)) == before


def test_saving_the_editor_unchanged_stores_nothing(admin_client):
    response = admin_client.post(EDIT, editor_form(admin_client), follow=True)
    assert "No changes." in response.content.decode()
    assert Questionnaire.objects.count() == 1


def test_renaming_alone_makes_a_new_version(admin_client, questionnaire):
    data = editor_form(admin_client)
    data["version-name"] = "SKM OKI 2027"
    admin_client.post(EDIT, data)
    assert current().name == "SKM OKI 2027"
    assert elements_of(current()) == elements_of(questionnaire)


def test_adding_an_element_puts_it_where_its_position_says(admin_client):
    data = new_row(editor_form(admin_client), 0, ORDER=3)
    admin_client.post(EDIT, data)
    codes = list(current().elements.values_list("code", flat=True))
    assert codes == [*OKI_CODES[:2], "kebersihan", *OKI_CODES[2:]]
    added = current().elements.get(code="kebersihan")
    assert added.labels_id == ["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"]
    assert added.question_en == "How clean was the service room?"


def test_a_new_element_without_a_position_goes_last(admin_client):
    admin_client.post(EDIT, new_row(editor_form(admin_client), 1))
    assert list(current().elements.values_list("code", flat=True)) == [*OKI_CODES, "kebersihan"]


def test_reordering_follows_the_position_numbers(admin_client):
    data = editor_form(admin_client)
    data[row_of("sarana") + "ORDER"] = 1
    data[row_of("persyaratan") + "ORDER"] = 10
    admin_client.post(EDIT, data)
    codes = list(current().elements.values_list("code", flat=True))
    assert codes == ["sarana", *OKI_CODES[1:9], "persyaratan"]


def test_removing_an_element(admin_client):
    data = editor_form(admin_client)
    data[row_of("maklumat") + "DELETE"] = "on"
    data[row_of("maklumat") + "question_id"] = ""  # a removed row need not be valid
    admin_client.post(EDIT, data)
    assert list(current().elements.values_list("code", flat=True)) == [c for c in OKI_CODES if c != "maklumat"]
    assert Questionnaire.objects.get(version=1).elements.filter(code="maklumat").exists()


def test_the_code_of_an_existing_element_cannot_be_changed(admin_client):
    data = editor_form(admin_client)
    data[row_of("waktu") + "code"] = "kecepatan"
    response = admin_client.post(EDIT, data, follow=True)
    assert "No changes." in response.content.decode()
    assert not Element.objects.filter(code="kecepatan").exists()


# Refused edits: a message by the field, nothing stored


def _refused(client, data):
    response = client.post(EDIT, data)
    assert response.status_code == 200
    assert Questionnaire.objects.count() == 1
    assert current().version == 1
    assert "Nothing was saved. Please correct the marked fields." in response.content.decode()
    return response


def test_an_empty_question_is_refused(admin_client):
    data = editor_form(admin_client)
    data[row_of("prosedur") + "question_en"] = "  "
    response = _refused(admin_client, data)
    assert row_errors(response, 1, "question_en") == ["This field is required."]


def test_a_missing_answer_label_is_refused(admin_client):
    data = editor_form(admin_client)
    del data[row_of("sarana") + "label_id_2"]
    response = _refused(admin_client, data)
    assert row_errors(response, 9, "label_id_2") == ["This field is required."]


def test_a_new_element_needs_all_its_labels(admin_client):
    data = new_row(editor_form(admin_client), 0, label_en_3="")
    response = _refused(admin_client, data)
    assert row_errors(response, 10, "label_en_3") == ["This field is required."]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("waktu", "Another element already uses the code “waktu”."),
        ("maklumat", "Another element already uses the code “maklumat”."),
        ("Kebersihan Ruang", "Use lower-case letters, digits and underscores, starting with a letter."),
        ("1_ruang", "Use lower-case letters, digits and underscores, starting with a letter."),
        ("", "This field is required."),
    ],
)
def test_a_new_element_needs_a_clean_unused_code(admin_client, code, message):
    data = new_row(editor_form(admin_client), 0, code=code)
    response = _refused(admin_client, data)
    assert row_errors(response, 10, "code") == [message]
    assert message in response.content.decode()


def test_two_new_elements_may_not_share_a_code(admin_client):
    data = new_row(new_row(editor_form(admin_client), 0), 1)
    response = _refused(admin_client, data)
    assert row_errors(response, 11, "code") == ["Another element already uses the code “kebersihan”."]


def test_removing_every_element_is_refused(admin_client):
    data = editor_form(admin_client)
    for index in range(10):
        data[f"element-{index}-DELETE"] = "on"
    response = _refused(admin_client, data)
    assert "A questionnaire needs at least one element: keep or add one." in response.content.decode()


def test_an_empty_name_is_refused(admin_client):
    data = editor_form(admin_client)
    data["version-name"] = ""
    response = _refused(admin_client, data)
    with translation.override("en"):
        assert [str(error) for error in response.context["version_form"].errors["name"]] == ["This field is required."]


def test_an_editor_opened_on_an_older_version_is_not_saved(admin_client):
    data = editor_form(admin_client)
    data[row_of("waktu") + "question_en"] = "Quick?"
    admin_client.post(PRESET, {"preset": "national"})
    response = admin_client.post(EDIT, data, follow=True)
    assert "A new version was put in use while you were editing." in response.content.decode()
    assert Questionnaire.objects.count() == 2
    assert not Element.objects.filter(question_en="Quick?").exists()


# Presets and audit


def test_the_national_preset_makes_a_nine_element_version(admin_client):
    response = admin_client.post(PRESET, {"preset": "national"}, follow=True)
    assert "Version 2 saved and now in use." in response.content.decode()
    new = current()
    assert new.version == 2 and new.name == "SKM PermenPANRB 14/2017 (9 unsur)"
    assert list(new.elements.values_list("code", flat=True)) == [e["code"] for e in NATIONAL_ELEMENTS]
    assert "maklumat" not in [e["code"] for e in NATIONAL_ELEMENTS]


def test_choosing_the_preset_already_in_use_stores_nothing(admin_client):
    response = admin_client.post(PRESET, {"preset": "oki"}, follow=True)
    assert "No changes." in response.content.decode()
    assert Questionnaire.objects.count() == 1


def test_an_unknown_preset_stores_nothing(admin_client):
    response = admin_client.post(PRESET, {"preset": "jakarta"}, follow=True)
    assert "Choose one of the listed presets." in response.content.decode()
    assert Questionnaire.objects.count() == 1


def test_a_new_version_is_in_the_audit_log(admin_client, super_admin):
    data = editor_form(admin_client)
    data[row_of("waktu") + "question_en"] = "How quick was the service?"
    admin_client.post(EDIT, data)
    admin_client.post(PRESET, {"preset": "national"})
    for version in (2, 3):
        entries = LogEntry.objects.get_for_object(Questionnaire.objects.get(version=version))
        assert entries.filter(actor=super_admin, action=LogEntry.Action.CREATE).exists()


# Element names


def test_version_one_carries_the_regulation_names_of_its_elements(questionnaire):
    names = {e.code: (e.name_id, e.name_en) for e in questionnaire.elements.all()}
    assert names["prosedur"] == ("Sistem, Mekanisme, dan Prosedur", "System, mechanism and procedure")
    assert names["pengaduan"] == (
        "Penanganan Pengaduan, Saran dan Masukan",
        "Handling of complaints, suggestions and feedback",
    )
    assert names == {e["code"]: (e["name_id"], e["name_en"]) for e in OKI_ELEMENTS}


def test_the_list_names_each_element_in_the_reader_language(client_for, evaluator, questionnaire):
    client = client_for(evaluator)
    assert "Waktu Penyelesaian" in client.get(LIST).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        assert "Completion time" in client.get(LIST).content.decode()


def test_renaming_an_element_makes_a_new_version_and_keeps_the_old_name(admin_client, questionnaire):
    data = editor_form(admin_client)
    data[row_of("waktu") + "name_id"] = "Kecepatan Pelayanan"
    response = admin_client.post(EDIT, data, follow=True)
    assert "Version 2 saved and now in use." in response.content.decode()
    assert current().elements.get(code="waktu").name_id == "Kecepatan Pelayanan"
    assert Questionnaire.objects.get(version=1).elements.get(code="waktu").name_id == "Waktu Penyelesaian"


def test_an_element_without_a_name_is_refused(admin_client):
    data = editor_form(admin_client)
    data[row_of("biaya") + "name_en"] = " "
    response = _refused(admin_client, data)
    assert row_errors(response, 3, "name_en") == ["This field is required."]


def test_a_new_element_is_stored_with_its_names(admin_client):
    admin_client.post(EDIT, new_row(editor_form(admin_client), 0))
    added = current().elements.get(code="kebersihan")
    assert (added.name_id, added.name_en) == ("Kebersihan", "Cleanliness")


def test_the_national_preset_carries_the_element_names(admin_client):
    admin_client.post(PRESET, {"preset": "national"})
    assert current().elements.get(code="produk").name_id == "Produk Spesifikasi Jenis Pelayanan"
