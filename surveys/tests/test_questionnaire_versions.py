"""History never changes meaning: an edit makes a new version, old responses keep theirs, and
results over both versions count each element over the responses that answered it."""

from fractions import Fraction

import pytest
from django.urls import reverse

from surveys.models import Questionnaire, Response
from surveys.presets import OKI_ELEMENTS
from surveys.selectors import Scope, results
from surveys.services import current_questionnaire

pytestmark = pytest.mark.django_db

OKI_CODES = [element["code"] for element in OKI_ELEMENTS]
V2_CODES = [code for code in OKI_CODES if code != "maklumat"]
NEW_QUESTION = "Bagaimana kecepatan petugas menyelesaikan layanan Saudara?"


def edit_in_the_editor(client):
    """Reword ``waktu`` and remove ``maklumat`` through the editor, as a super admin would."""
    context = client.get(reverse("questionnaire:edit")).context
    data = {}
    for form in (context["version_form"], context["formset"].management_form, *context["formset"]):
        for field in form:
            value = field.value()
            if not field.field.disabled and value not in (None, "", False):
                data[field.html_name] = value
    data[f"element-{OKI_CODES.index('waktu')}-question_id"] = NEW_QUESTION
    data[f"element-{OKI_CODES.index('maklumat')}-DELETE"] = "on"
    response = client.post(reverse("questionnaire:edit"), data)
    assert response.status_code == 302


def test_editing_the_questionnaire_keeps_the_meaning_of_earlier_responses(
    client_for, super_admin, questionnaire, submit, service_a, service_b
):
    version_one = list(questionnaire.elements.values_list("code", "question_id", "question_en", "labels_id"))
    early = [
        submit(service_a, answers={**dict.fromkeys(OKI_CODES, 3), "maklumat": 2}),
        submit(service_b, answers={**dict.fromkeys(OKI_CODES, 3), "maklumat": 4}),
    ]

    edit_in_the_editor(client_for(super_admin))

    assert current_questionnaire().version == 2
    late = [submit(service_a, answers=dict.fromkeys(V2_CODES, 4)) for _ in range(2)]
    assert {response.questionnaire.version for response in late} == {2}

    # Version 1 is exactly as it was, and its responses still point at it with maklumat.
    version_one_now = Questionnaire.objects.get(version=1)
    assert not version_one_now.is_current
    assert list(version_one_now.elements.values_list("code", "question_id", "question_en", "labels_id")) == version_one
    for response in Response.objects.filter(pk__in=[r.pk for r in early]):
        assert response.questionnaire == version_one_now
        assert "maklumat" in response.answers
    version_two = current_questionnaire()
    assert [e.code for e in version_two.elements.all()] == V2_CODES
    assert version_two.elements.get(code="waktu").question_id == NEW_QUESTION

    # Results over both versions: each element over the responses that answered it.
    result = results(scope=Scope(), start=None, end=None)
    assert result.respondents == 4
    by_code = {element.code: element for element in result.index.elements}
    assert set(by_code) == set(OKI_CODES)
    assert by_code["maklumat"].responses == 2
    assert by_code["maklumat"].nrr == Fraction(2 + 4, 2)
    for code in V2_CODES:
        assert by_code[code].responses == 4
        assert by_code[code].nrr == Fraction(3 + 3 + 4 + 4, 4)
