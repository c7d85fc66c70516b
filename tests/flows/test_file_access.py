"""Every kind of stored file is handed out only by a view that checks who may see its record: the owner and the
roles allowed get it (with nosniff), another deputy, another unit or another congress's staff get a 404, and an
anonymous visitor is sent to the login page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies import services as roster
from liaison_stations import services as stations
from suggestions import services as suggestions
from tests import factories as core
from tests.cases import factories as case_f
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import managed_station
from tests.suggestions import factories as suggestion_f
from tests.training import factories as training_f
from training import services as training

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def congress():
    congress = core.CongressFactory()
    current_term(congress)
    return congress


@pytest.fixture
def elsewhere():
    """Staff of another province's congress."""
    other = core.CongressFactory(region=core.province("45", "广西壮族自治区"))
    current_term(other)
    return core.staff_of(other)


def fetch(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def assert_only_allowed(client, url, allowed, refused, content_type):
    for user in allowed:
        response = fetch(client, user, url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline;")
    for user in refused:
        assert fetch(client, user, url).status_code == 404, user
    anonymous = fetch(client, None, url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_suggestion_attachment(client, congress, elsewhere):
    mandate = suggestion_f.deputy(congress)
    other = suggestion_f.deputy(congress)
    suggestion = suggestion_f.draft(mandate)
    [item] = suggestions.add_attachments(actor=mandate.person.user, suggestion_id=suggestion.pk, files=[png()])
    url = reverse("suggestions:attachment", args=[item.pk])
    assert_only_allowed(client, url, [mandate.person.user], [other.person.user, elsewhere], "image/png")


def test_reply_letter(client, congress, elsewhere):
    staff = core.staff_of(congress)
    mandate = suggestion_f.deputy(congress)
    unit, officer = suggestion_f.unit_with_officer(congress, "省教育厅")
    _other_unit, other_officer = suggestion_f.unit_with_officer(congress, "省财政厅")
    suggestion = suggestion_f.assigned(mandate, staff, unit)
    answer = suggestion_f.reply_to(suggestion.assignments.get(), officer)
    url = reverse("suggestions:letter", args=[answer.pk])
    assert_only_allowed(client, url, [officer, mandate.person.user, staff], [other_officer, elsewhere],
                        "application/pdf")  # fmt: skip


def test_opinion_attachment(client, elsewhere):
    station, manager = managed_station()
    _other_station, other_manager = managed_station(slug="other", name="另一个联络站")
    opinion = stations.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯坏了。",
                                      files=[png()])  # fmt: skip
    url = reverse("liaison_stations:attachment", args=[opinion.attachments.get().pk])
    assert_only_allowed(client, url, [manager], [other_manager, elsewhere], "image/png")


def test_case_file(client, congress, elsewhere):
    staff = core.staff_of(congress)
    unit, officer = case_f.unit_with_officer(congress, "广州市人大常委会")
    _other, other_officer = case_f.unit_with_officer(congress, "深圳市人大常委会")
    campaign = case_f.campaign(staff, congress, [unit, _other])
    with case_f.travel("2023-09-10 10:00"):
        submission = case_f.submission(officer, campaign, title="社区议事厅", submit=False)
        from cases import services as cases

        cases.save_submission(actor=officer, submission_id=submission.pk, fields={}, files=[png()])
    url = reverse("cases:file", args=[submission.files.get().pk])
    assert_only_allowed(client, url, [officer], [other_officer, elsewhere], "image/png")


def test_training_material(client, congress, elsewhere):
    staff = core.staff_of(congress)
    course = training_f.course(staff, congress)
    letter = SimpleUploadedFile("handout.pdf", PDF, content_type="application/pdf")
    item = training.add_material(actor=staff, course_id=course.pk, title="讲义", file=letter)
    url = reverse("training:material", args=[item.pk])
    assert_only_allowed(client, url, [staff, training_f.deputy(congress).person.user], [elsewhere],
                        "application/pdf")  # fmt: skip
    page = fetch(client, staff, reverse("training:course", args=[course.pk])).content.decode()
    assert url in page and "/media/" not in page


def test_deputy_photo(client, congress, elsewhere):
    staff = core.staff_of(congress)
    mandate = suggestion_f.deputy(congress)
    person = mandate.person
    person.photo = png()
    roster.save_person(actor=staff, person=person)
    url = reverse("deputies:photo", args=[person.pk])
    assert_only_allowed(client, url, [staff], [elsewhere], "image/png")


def test_a_deputy_photo_that_is_not_an_image_is_refused(congress):
    from congress.errors import RuleViolation

    staff = core.staff_of(congress)
    person = suggestion_f.deputy(congress).person
    person.photo = SimpleUploadedFile("photo.png", b"<svg onload='alert(1)'/>", content_type="image/png")
    with pytest.raises(RuleViolation) as error:
        roster.save_person(actor=staff, person=person)
    assert "photo" in error.value.fields


def test_a_non_pdf_named_pdf_is_refused_as_a_reply_letter(congress):
    from congress.errors import RuleViolation

    staff = core.staff_of(congress)
    mandate = suggestion_f.deputy(congress)
    unit, officer = suggestion_f.unit_with_officer(congress, "省教育厅")
    suggestion = suggestion_f.assigned(mandate, staff, unit)
    assignment = suggestion.assignments.get()
    suggestions.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    fake = SimpleUploadedFile("letter.pdf", PNG, content_type="application/pdf")
    with pytest.raises(RuleViolation) as error:
        suggestions.reply(actor=officer, assignment_id=assignment.pk, text="答复", result="A", letter=fake)
    assert "letter" in error.value.fields
