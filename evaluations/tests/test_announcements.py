"""The super admin posts announcements to the operators of all agencies or of chosen ones; they
are emailed, listed for the operators they address and marked read per operator."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from evaluations import services
from evaluations.models import Announcement, AnnouncementRead

LIST = reverse("coordination:announcement_list")
CREATE = reverse("coordination:announcement_create")
DASHBOARD = reverse("accounts:dashboard")


@pytest.fixture(autouse=True)
def _language_back_to_default():
    """An English request activates English for the thread; keep it out of the next test."""
    yield
    translation.deactivate()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def announcement_a(super_admin, agency_a):
    """An announcement to agency A only."""
    return services.announcement_publish(
        actor=super_admin, title="Survei Semester I ditutup 30 Juni", body="Mohon lengkapi.", agencies=[agency_a]
    )


@pytest.fixture
def second_operator_a(agency_a):
    return User.objects.create_user(
        "operator.a2", email="operator.a2@example.org", password="Correct-Horse-9", role=Role.OPERATOR, agency=agency_a
    )


def detail(announcement) -> str:
    return reverse("coordination:announcement_detail", args=[announcement.pk])


def read(announcement) -> str:
    return reverse("coordination:announcement_read", args=[announcement.pk])


# --- Who may open what -------------------------------------------------------------------------

LOGIN = "login"
ROLES = ("anonymous", "super_admin", "evaluator", "leader", "operator_a", "operator_b")
EXPECTED = {
    # page: method, anonymous, super_admin, evaluator, leader, operator_a, operator_b
    "list": ("get", LOGIN, 200, 403, 403, 200, 200),
    "create": ("get", LOGIN, 200, 403, 403, 403, 403),
    "detail": ("get", LOGIN, 200, 403, 403, 200, 404),
    "read": ("post", LOGIN, 403, 403, 403, 302, 404),
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_announcement_pages(page, role, client_for, actors, announcement_a):
    url = {"list": LIST, "create": CREATE, "detail": detail(announcement_a), "read": read(announcement_a)}[page]
    method, *statuses = EXPECTED[page]
    expected = statuses[ROLES.index(role)]

    response = getattr(client_for(actors.get(role)), method)(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


# --- Publishing -------------------------------------------------------------------------------


def test_announcement_to_all_agencies_reaches_every_operator(
    client_for, super_admin, evaluator, operator_a, operator_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(super_admin).post(
            CREATE, {"title": "Pemeliharaan server Sabtu", "body": "SI-PUTRI tidak dapat diakses.", "audience": "all"}
        )

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(announcement)
    assert announcement.all_agencies
    assert sorted(address for message in mail.outbox for address in message.to) == [
        operator_a.email,
        operator_b.email,
    ]
    assert "Pemeliharaan server Sabtu" in mail.outbox[0].subject
    assert "SI-PUTRI tidak dapat diakses." in mail.outbox[0].body
    for operator in (operator_a, operator_b):
        assert "Pemeliharaan server Sabtu" in client_for(operator).get(LIST).text
        assert client_for(operator).get(detail(announcement)).status_code == 200


def test_announcement_to_chosen_agencies_reaches_only_their_operators(
    client_for, super_admin, operator_a, operator_b, agency_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(super_admin).post(
            CREATE,
            {
                "title": "Data populasi Disdukcapil",
                "body": "Isi jumlah populasi.",
                "audience": "chosen",
                "agencies": [agency_a.pk],
            },
        )

    announcement = Announcement.objects.get()
    assert not announcement.all_agencies
    assert list(announcement.agencies.all()) == [agency_a]
    assert [message.to for message in mail.outbox] == [[operator_a.email]]
    assert "Data populasi Disdukcapil" in client_for(operator_a).get(LIST).text
    assert "Data populasi Disdukcapil" not in client_for(operator_b).get(LIST).text
    assert client_for(operator_b).get(detail(announcement)).status_code == 404


def test_agencies_ticked_while_all_agencies_is_chosen_are_ignored(client_for, super_admin, agency_a):
    client_for(super_admin).post(
        CREATE, {"title": "Untuk semua", "body": "Isi.", "audience": "all", "agencies": [agency_a.pk]}
    )

    announcement = Announcement.objects.get()
    assert announcement.all_agencies
    assert not announcement.agencies.exists()


def test_chosen_audience_without_an_agency_is_refused_and_nothing_is_stored(
    client_for, super_admin, operator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english(client_for(super_admin)).post(
            CREATE, {"title": "Kosong", "body": "Isi.", "audience": "chosen"}
        )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["agencies"]
    assert "Choose at least one agency, or send it to all agencies." in response.text
    assert Announcement.objects.count() == 0
    assert mail.outbox == []


def test_missing_title_and_body_are_refused_and_nothing_is_stored(client_for, super_admin):
    response = english(client_for(super_admin)).post(CREATE, {"title": "", "body": " ", "audience": "all"})

    assert set(response.context["form"].errors) == {"title", "body"}
    assert "This field is required." in response.text
    assert Announcement.objects.count() == 0


def test_overlong_message_is_refused_by_the_service_under_its_field(client_for, super_admin):
    response = english(client_for(super_admin)).post(
        CREATE, {"title": "Panjang", "body": "x" * 5001, "audience": "all"}
    )

    assert response.context["form"].errors == {"body": ["At most 5000 characters."]}
    assert Announcement.objects.count() == 0


def test_the_form_lists_agencies_as_checkboxes(client_for, super_admin, agency_a, agency_b):
    text = client_for(super_admin).get(CREATE).text

    assert f'type="checkbox" name="agencies" value="{agency_a.pk}"' in text
    assert agency_b.name in text
    assert 'type="radio" name="audience" value="all"' in text


# --- Reading ----------------------------------------------------------------------------------


def test_opening_an_announcement_marks_it_read_for_that_operator_only(
    client_for, operator_a, second_operator_a, announcement_a
):
    assert 'class="badge unread"' in client_for(operator_a).get(LIST).text

    page = client_for(operator_a).get(detail(announcement_a))

    assert "Mohon lengkapi." in page.text
    assert AnnouncementRead.objects.filter(announcement=announcement_a, user=operator_a).exists()
    assert 'class="badge unread"' not in client_for(operator_a).get(LIST).text
    assert 'class="badge unread"' in client_for(second_operator_a).get(LIST).text


def test_marking_read_returns_to_the_page_it_came_from(client_for, operator_a, announcement_a):
    response = client_for(operator_a).post(read(announcement_a), {"next": LIST})

    assert response["Location"] == LIST
    assert AnnouncementRead.objects.filter(announcement=announcement_a, user=operator_a).count() == 1


@pytest.mark.parametrize("target", ["", "https://evil.example/", "//evil.example/", "dasbor"])
def test_marking_read_never_sends_the_operator_elsewhere(client_for, operator_a, announcement_a, target):
    response = client_for(operator_a).post(read(announcement_a), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_marking_read_twice_keeps_one_read(client_for, operator_a, announcement_a):
    client = client_for(operator_a)

    client.post(read(announcement_a))
    client.get(detail(announcement_a))

    assert AnnouncementRead.objects.filter(user=operator_a).count() == 1


def test_marking_read_needs_a_post(client_for, operator_a, announcement_a):
    assert client_for(operator_a).get(read(announcement_a)).status_code == 405
    assert not AnnouncementRead.objects.exists()


def test_operator_not_addressed_cannot_mark_it_read(client_for, operator_b, announcement_a):
    assert client_for(operator_b).post(read(announcement_a)).status_code == 404
    assert not AnnouncementRead.objects.exists()


def test_super_admin_sees_how_many_addressed_operators_have_read_each(
    client_for, super_admin, operator_a, second_operator_a, operator_b, announcement_a
):
    services.announcement_publish(actor=super_admin, title="Untuk semua OPD", body="Isi.")
    client_for(operator_a).get(detail(announcement_a))
    client = english(client_for(super_admin))

    listing = client.get(LIST)
    rows = {
        announcement.title: (announcement.read_by, announcement.addressed) for announcement in listing.context["page"]
    }
    page = client.get(detail(announcement_a))

    assert rows == {"Survei Semester I ditutup 30 Juni": (1, 2), "Untuk semua OPD": (0, 3)}
    assert "1 of 2 operators" in listing.text
    assert "1 of 2 operators" in page.text
    assert second_operator_a.username in page.text
    assert operator_b.username not in page.text
    assert not AnnouncementRead.objects.filter(user=super_admin).exists()


def test_operator_sees_announcements_newest_first(client_for, super_admin, operator_a, announcement_a):
    services.announcement_publish(actor=super_admin, title="Pengumuman terbaru", body="Isi.")

    titles = [announcement.title for announcement in client_for(operator_a).get(LIST).context["page"]]

    assert titles == ["Pengumuman terbaru", "Survei Semester I ditutup 30 Juni"]
