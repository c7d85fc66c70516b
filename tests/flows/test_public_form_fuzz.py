"""Hypothesis against the public HTML forms (no login needed): the opinion form of a station page and of a deputy's
QR page, the opinion tracking look-up, the public case vote (code, verification, vote), the published suggestions'
search, the login and the password reset. Each form gets a bounded, fixed set of generated requests (seeded: the
same ones every run): text of any length and script including huge strings, NUL characters, unusual Unicode and
bytes that are not UTF-8, random choices and missing fields. No answer is a 5xx, and an answer that is not a
success stores nothing."""

from urllib.parse import urlencode

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import services as cases
from cases.models import CampaignKind, PublicVote, RoundKind
from congress.abuse import SALT
from liaison_stations.models import CitizenOpinion, DeputyQrCode
from tests import factories as core
from tests.cases import factories as case_f
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import StationFactory, managed_station
from tests.suggestions import factories as suggestion_f

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text as a browser or a script might send it: short and odd, huge, with NUL, right-to-left marks, emoji,
# combining marks, markup and SQL, or raw bytes that are not UTF-8 at all.
text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=3).map(lambda s: s * 40_000),
    st.sampled_from(["\x00", "a\x00b", "\u202e\u0301", "𠮷𝕏👍🏽", "<script>alert(1)</script>", "' OR 1=1 --",
                     "%s%n{0}", " ", "13812345678", "138123456789", "１３８１２３４５６７８", "-1", "1e309"]),
    st.binary(max_size=60),
    st.integers().map(str),
)  # fmt: skip


def fields(names, extra=None):
    """Any subset of the named fields, each any text; `extra` adds fixed strategies for some fields."""
    optional = dict.fromkeys(names, text)
    optional.update(extra or {})
    return st.fixed_dictionaries({}, optional=optional)


def post(client, url, data):
    """The fields as an urlencoded body, so that bytes that are not UTF-8 reach the server as sent."""
    body = urlencode(data, doseq=True)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.PUBLIC_RATE_PER_IP = "1000000/h"
    settings.PUBLIC_RATE_PER_PHONE = "1000000/d"
    settings.PASSWORD_RESET_RATE = "1000000/h"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def station():
    return managed_station()[0]


def a_challenge(answer_right: bool):
    token = signing.dumps(7, salt=SALT)
    return {"challenge": token, "answer": "7" if answer_right else "8"}


opinion_fields = ["citizen_name", "phone", "category", "content", "website", "submission_key", "challenge", "answer"]
real_challenge = st.booleans().map(a_challenge)
# Valid values now and then, so that some submissions get through to the service and are stored.
opinion_extra = {
    "category": st.one_of(st.sampled_from(["urban", "education", "other"]), text),
    "phone": st.one_of(text, st.just("13912345678")),
    "content": st.one_of(text, st.just("路灯坏了。")),
}


def check_opinion_form(client, url, data, solved):
    before = CitizenOpinion.objects.count()
    response = post(client, url, {**data, **solved})
    assert response.status_code < 500, response.status_code
    if response.status_code != 302:
        assert CitizenOpinion.objects.count() == before
    else:
        opinion = CitizenOpinion.objects.latest("pk")
        assert len(opinion.content) <= 2000 and len(opinion.citizen_name) <= 50


@FUZZ
@given(data=fields(opinion_fields, opinion_extra), solved=st.one_of(st.just({}), real_challenge))
def test_station_opinion_form(client, station, data, solved):
    check_opinion_form(client, reverse("liaison_stations:public_opinion", args=[station.slug]), data, solved)


@FUZZ
@given(data=fields(opinion_fields, opinion_extra), solved=st.one_of(st.just({}), real_challenge))
def test_deputy_qr_opinion_form(client, station, data, solved):
    from tests.liaison_stations.factories import stationed_deputy

    qr = DeputyQrCode.objects.first() or DeputyQrCode.objects.create(mandate=stationed_deputy(station)[0])
    check_opinion_form(client, reverse("liaison_stations:deputy_page", args=[qr.token]), data, solved)


@FUZZ
@given(query=fields(["code", "phone_tail"]))
def test_opinion_tracking(client, station, query):
    response = client.get(reverse("liaison_stations:track") + "?" + urlencode(query))
    assert response.status_code < 500


@pytest.fixture
def published():
    """A published suggestion with its reply, for the search to run over."""
    from suggestions import services

    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    unit, officer = suggestion_f.unit_with_officer(congress, "省教育厅")
    suggestion = suggestion_f.assigned(suggestion_f.deputy(congress), staff, unit)
    suggestion_f.reply_to(suggestion.assignments.get(), officer)
    return services.publish(actor=staff, suggestion_id=suggestion.pk)


@FUZZ
@given(query=fields(["q", "year", "category", "unit", "page"], {"category": st.one_of(text, st.just("教育"))}))
def test_published_suggestions_search(client, published, query):
    response = client.get(reverse("suggestions:public") + "?" + urlencode(query))
    assert response.status_code < 500


@FUZZ
@given(segment=text.filter(lambda s: s and "/" not in str(s)))
def test_public_addresses_with_any_key(client, segment):
    from urllib.parse import quote

    key = quote(segment if isinstance(segment, bytes) else segment.encode("utf-8", "surrogatepass"), safe="")
    for route in ["liaison_stations:public_station", "liaison_stations:deputy_page", "cases:public",
                  "suggestions:public_detail"]:  # fmt: skip
        url = reverse(route, args=["KEY" if route != "suggestions:public_detail" else 1]).replace("KEY", key)
        assert client.get(url).status_code < 500


@pytest.fixture
def poll():
    """A public vote open from 1 to 4 November 2023 on two stations' cases."""
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    unit, officer = case_f.unit_with_officer(congress, "广州市人大常委会")
    with case_f.travel("2023-09-10 10:00"):
        campaign = case_f.campaign(staff, congress, [unit], kind=CampaignKind.STATION, title="示范家站点")
        for n in range(2):
            case_f.submission(officer, campaign, title=f"站{n}", station=StationFactory(congress=congress))
        cases.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = case_f.round_(staff, campaign, RoundKind.WEIGHTED, opens="2023-11-01 09:00",
                               closes="2023-11-04 09:00", advance=1, public_vote=True, online_weight=100,
                               panel_weight=0)  # fmt: skip
        cases.open_round(actor=staff, round_id=round_.pk)
    return campaign


@FUZZ
@given(
    step=st.sampled_from(["public_code", "public_verify", "public_cast"]),
    data=fields(["phone", "code", "submission", "website", "challenge", "answer"]),
    solved=st.one_of(st.just({}), real_challenge),
    submission=st.one_of(st.integers(), st.integers(min_value=-(2**70), max_value=2**70)).map(str),
)
def test_public_case_vote(client, poll, step, data, solved, submission):
    data = {**data, **solved}
    if step == "public_cast":
        data.setdefault("submission", submission)
    before = PublicVote.objects.count()
    with case_f.travel("2023-11-02 10:00"):
        response = post(client, reverse(f"cases:{step}", args=[poll.slug]), data)
    assert response.status_code < 500, response.status_code
    if step == "public_cast":
        assert PublicVote.objects.count() == before  # never verified here: no vote counts


@FUZZ
@given(data=fields(["username", "password"]))
def test_login(client, data):
    response = post(client, reverse("login"), data)
    assert response.status_code < 500
    assert "_auth_user_id" not in client.session


@pytest.fixture
def known_user():
    return core.UserFactory(email="known@example.cn")


@FUZZ
@given(data=fields(["email"]))
def test_password_reset(client, known_user, data):
    mail.outbox.clear()
    response = post(client, reverse("password_reset"), data)
    assert response.status_code < 500
    if data.get("email") != "known@example.cn":
        assert mail.outbox == []
