"""No field takes rich text: what people write is shown as text. Markup typed into a suggestion, a reply, a case,
a station's details or an opinion's feedback reaches the public pages escaped, never as markup; and link fields
take web addresses only, not javascript: ones."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as cases
from cases.models import CampaignKind, RoundKind
from liaison_stations import services as stations
from suggestions import services as suggestions
from tests import factories as core
from tests.cases import factories as case_f
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import StationFactory, managed_station
from tests.suggestions import factories as suggestion_f

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_escaped(body: str):
    assert SCRIPT not in body and "<img src=x" not in body
    assert ESCAPED in body


@pytest.fixture
def congress():
    congress = core.CongressFactory()
    current_term(congress)
    return congress


def test_public_suggestion_detail(client, congress):
    staff = core.staff_of(congress)
    mandate = suggestion_f.deputy(congress)
    unit, officer = suggestion_f.unit_with_officer(congress, "省教育厅")
    suggestion = suggestion_f.assigned(mandate, staff, unit, title=f"标题{SCRIPT}", content=f"内容{SCRIPT}")
    suggestion_f.reply_to(suggestion.assignments.get(), officer, text=f"答复{SCRIPT}")
    suggestions.publish(actor=staff, suggestion_id=suggestion.pk)
    body = client.get(reverse("suggestions:public_detail", args=[suggestion.pk])).content.decode()
    assert body.count(ESCAPED) >= 2  # the content and the reply
    assert_escaped(body)


def test_public_station_page(client):
    from datetime import date

    station, _manager = managed_station(name=f"站{SCRIPT}", address=SCRIPT, opening_hours=SCRIPT)
    stations.record_honour(station_id=station.pk, year=2023, title=SCRIPT, on=date(2023, 11, 6), source="cases:1:1")
    body = client.get(reverse("liaison_stations:public_station", args=[station.slug])).content.decode()
    assert_escaped(body)


def test_opinion_tracking_page(client):
    station, manager = managed_station()
    opinion = stations.submit_opinion(station=station, phone="13912345678", category="urban", content=SCRIPT)
    stations.triage(actor=manager, opinion_id=opinion.pk, route="answered", answer=SCRIPT)
    stations.give_feedback(actor=manager, opinion_id=opinion.pk, feedback=SCRIPT)
    query = {"code": opinion.tracking_code, "phone_tail": "5678"}
    body = client.get(reverse("liaison_stations:track"), query).content.decode()
    assert_escaped(body)


def test_public_case_vote_page(client, congress):
    staff = core.staff_of(congress)
    unit, officer = case_f.unit_with_officer(congress, "广州市人大常委会")
    with case_f.travel("2023-09-10 10:00"):
        campaign = case_f.campaign(staff, congress, [unit], kind=CampaignKind.STATION, title="示范家站点")
        submissions = [
            case_f.submission(officer, campaign, title=f"案例{n}{SCRIPT}", station=StationFactory(congress=congress))
            for n in range(2)
        ]
        cases.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = case_f.round_(staff, campaign, RoundKind.WEIGHTED, opens="2023-11-01 09:00",
                               closes="2023-11-04 09:00", advance=1, public_vote=True, online_weight=100,
                               panel_weight=0)  # fmt: skip
        cases.open_round(actor=staff, round_id=round_.pk)
    with case_f.travel("2023-11-02 10:00"):
        body = client.get(reverse("cases:public", args=[campaign.slug])).content.decode()
    assert len(submissions) == 2
    assert_escaped(body)


def test_no_template_marks_text_safe():
    """Markup stays out of the pages only while no template switches escaping off or marks a value safe; the
    one exception is Django's own password rules (text from the validators, not from any user)."""
    from pathlib import Path

    allowed = {("registration/password_reset_confirm.html", "form.new_password1.help_text|safe")}
    allowed_autoescape_off = {"registration/password_reset_email.html"}  # a plain-text email, not a page
    root = Path(__file__).resolve().parents[2] / "templates"
    found = []
    for template in root.rglob("*.html"):
        name = str(template.relative_to(root))
        text = template.read_text()
        for marker in ("|safe", "|safeseq", "{% autoescape off"):
            at = text.find(marker)
            while at != -1:
                context = text[max(0, at - 40) : at + len(marker)].split("{{")[-1].strip()
                if not ((name, context) in allowed or (marker.startswith("{%") and name in allowed_autoescape_off)):
                    found.append(f"{name}: {context}")
                at = text.find(marker, at + 1)
    assert found == []


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_link_fields_take_web_addresses_only(congress, address):
    from cases.models import Submission

    field = Submission._meta.get_field("video_url")
    with pytest.raises(ValidationError):
        field.clean(address, None)
