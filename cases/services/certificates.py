"""Certificates (荣誉证书) for the winning cases of a finished case selection: one landscape page per case selected
in the last round, naming its deputies (or its station), the case, the award, the issuing body and the date; a
zip of .docx files to edit or one PDF to print. A campaign selects a few dozen cases at most, so the file is
written while the staff member waits (one LibreOffice run for all pages)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from congress import audit, documents, scope

from .. import selectors
from ..models import Campaign, CampaignKind, CampaignStatus

KIND = "certificate"
FORMATS = ("docx", "pdf")
# The award a certificate names unless staff write another.
AWARDS = {
    CampaignKind.DUTY: "代表履职优秀案例",
    CampaignKind.SUGGESTION: "建议办理优秀案例",
    CampaignKind.STATION: "示范代表联络站",
}


def default_award(campaign: Campaign) -> str:
    return AWARDS.get(campaign.kind, "优秀案例")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def winners(campaign: Campaign) -> list:
    """The submissions selected in the campaign's last round, best first."""
    return [row["submission"] for row in selectors.final_list(campaign)["rows"] if row["selected"]]


def _winners_line(submission) -> str:
    if submission.station_id:
        return submission.station.name
    names = [mandate.person.name for mandate in submission.mandates.all()]
    return "、".join(names) or submission.unit.name


def certificates(*, actor, campaign_id: int, award: str, issued_on: date) -> list[tuple[str, bytes]]:
    """(case title, .docx) of each winning case; staff and supervisors of the campaign's congress, once it is
    finished."""
    campaign = Campaign.objects.select_related("congress").get(pk=campaign_id)
    if not scope.can(actor, "cases.view_results", campaign):
        raise PermissionDenied
    if campaign.status != CampaignStatus.FINISHED:
        raise ValueError(_("Certificates are given once the selection is finished."))
    chosen = winners(campaign)
    if not chosen:
        raise ValueError(_("No case was selected."))
    own = documents.settings_of(campaign.congress, KIND)
    template = documents.template_bytes(campaign.congress, KIND, own)
    issuer = documents.issuer_of(campaign.congress, own)
    written = []
    with translation.override(settings.LANGUAGE_CODE):
        for submission in chosen:
            context = {
                "winners": _winners_line(submission), "case_title": submission.title,
                "case_title_line": f"《{submission.title}》", "campaign": campaign.title, "award": award,
                "unit": submission.unit.name if submission.station_id or submission.mandates.exists() else "",
                "issuer": issuer, "date": chinese_date(issued_on),
            }  # fmt: skip
            written.append((submission.title, documents.render(template, context)))
    audit.record(actor, campaign, "certificates_written", award=award, certificates=len(written))
    return written


def certificates_file(*, actor, campaign_id: int, award: str, issued_on: date, fmt: str) -> tuple[str, bytes, str]:
    """The campaign's certificates as one file to download: (name, content, content type)."""
    if fmt not in FORMATS:
        raise ValueError(_("Choose .docx or PDF."))
    written = certificates(actor=actor, campaign_id=campaign_id, award=award, issued_on=issued_on)
    named = [(f"{index:02d} {documents.safe_name(title, 60)}", docx) for index, (title, docx) in enumerate(written, 1)]
    name, content = documents.bundle(named, fmt, f"certificates-{campaign_id}")
    return name, content, documents.PDF if fmt == "pdf" else "application/zip"
