"""Forms of the case selection: server-side checks of shape only; the rules are in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.abuse import ChallengeForm
from congress.forms import NativeInputs
from congress.inputs import MobilePhoneField
from congress.models import Level, Organisation, User
from congress.uploads import MultipleFileField

from .models import CampaignKind, RoundKind


class CampaignForm(NativeInputs, forms.Form):
    congress = forms.TypedChoiceField(label=gettext_lazy("Congress"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of cases"), choices=CampaignKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    submissions_open = forms.DateField(label=gettext_lazy("Submissions open on"))
    submissions_close = forms.DateField(label=gettext_lazy("Submissions close on"))
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units invited to submit"), queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )  # fmt: skip
    quota = forms.IntegerField(
        label=gettext_lazy("Quota per unit"), required=False, min_value=1,
        help_text=gettext_lazy("Most cases each unit may submit; empty for no limit. Change one unit's quota on the campaign page."),  # noqa: E501
    )  # fmt: skip

    def __init__(self, *args, congresses, units, campaign=None, **kwargs):
        if campaign is not None:
            invitations = list(campaign.units.all())
            quotas = {i.quota for i in invitations}
            kwargs["initial"] = {
                "congress": campaign.congress_id, "kind": campaign.kind, "year": campaign.year, "title": campaign.title,
                "description": campaign.description, "submissions_open": campaign.submissions_open,
                "submissions_close": campaign.submissions_close, "units": [i.unit_id for i in invitations],
                "quota": quotas.pop() if len(quotas) == 1 else None,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["congress"].choices = [(c.pk, c.name) for c in congresses]
        self.fields["units"].queryset = units
        self.fields["units"].widget.attrs["size"] = 12
        if campaign is not None:
            self.fields["congress"].disabled = True

    def campaign_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "year", "title", "description", "submissions_open",
                                              "submissions_close")}  # fmt: skip


class QuotaForm(forms.Form):
    quota = forms.IntegerField(label=gettext_lazy("Quota"), required=False, min_value=1)


def _lines(text: str) -> list[list[str]]:
    rows = []
    for raw in (text or "").splitlines():
        raw = raw.strip()
        if raw:
            rows.append([part.strip() for part in raw.replace("，", ",").split(",")])
    return rows


class RoundForm(NativeInputs, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Method"), choices=RoundKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens at"))
    closes_at = forms.DateTimeField(label=gettext_lazy("Closes at"))
    advance = forms.IntegerField(
        label=gettext_lazy("Cases going on (top N)"), required=False, min_value=1,
        help_text=gettext_lazy("Ballot, meeting vote and weighted score."),
    )  # fmt: skip
    approvals_per_voter = forms.IntegerField(
        label=gettext_lazy("Approvals per voter (K)"), required=False, min_value=1,
        help_text=gettext_lazy("Ballot and meeting vote."),
    )  # fmt: skip
    quota_per_level = forms.IntegerField(
        label=gettext_lazy("Recommendations per deputy level (Q)"), required=False, min_value=1,
        help_text=gettext_lazy("Recommendation by quota."),
    )  # fmt: skip
    online_weight = forms.DecimalField(
        label=gettext_lazy("Weight of the online vote (%)"), required=False, min_value=0, max_value=100,
        help_text=gettext_lazy("Weighted score; empty for the congress's policy."),
    )  # fmt: skip
    panel_weight = forms.DecimalField(
        label=gettext_lazy("Weight of the panel score (%)"), required=False, min_value=0, max_value=100
    )
    public_vote = forms.BooleanField(label=gettext_lazy("Public online vote"), required=False)
    show_live_totals = forms.BooleanField(label=gettext_lazy("Show live totals to the public"), required=False)
    voters = forms.CharField(
        label=gettext_lazy("Voters or judges"), required=False, max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy('One login name a line; in a recommendation round "login name, committee name".'),
    )  # fmt: skip
    criteria = forms.CharField(
        label=gettext_lazy("Scoring criteria"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy('Weighted score: "criterion, full marks" a line.'),
    )  # fmt: skip

    def __init__(self, *args, round_=None, committees=None, **kwargs):
        if round_ is not None:
            kwargs["initial"] = {
                "kind": round_.kind, "name": round_.name, "opens_at": round_.opens_at, "closes_at": round_.closes_at,
                "advance": round_.advance, "approvals_per_voter": round_.approvals_per_voter,
                "quota_per_level": round_.quota_per_level, "online_weight": round_.online_weight,
                "panel_weight": round_.panel_weight, "public_vote": round_.public_vote,
                "show_live_totals": round_.show_live_totals,
                "voters": "\n".join(
                    f"{v.user.username}, {v.committee.name}" if v.committee_id else v.user.username
                    for v in round_.voters.select_related("user", "committee")
                ),
                "criteria": "\n".join(f"{c.name}, {c.max_points}" for c in round_.criteria.all()),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.committees = committees if committees is not None else Organisation.objects.none()

    def clean_voters(self):
        rows = _lines(self.cleaned_data["voters"])
        names = [row[0] for row in rows]
        users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        missing = [name for name in names if name not in users]
        if missing:
            raise forms.ValidationError(_("No active user named %(names)s.") % {"names": "、".join(missing)})
        wanted = {row[1] for row in rows if len(row) > 1 and row[1]}
        committees = {c.name: c for c in self.committees.filter(name__in=wanted)}
        unknown = wanted - set(committees)
        if unknown:
            raise forms.ValidationError(_("No committee named %(names)s.") % {"names": "、".join(sorted(unknown))})
        return [(users[row[0]], committees.get(row[1]) if len(row) > 1 and row[1] else None) for row in rows]

    def clean_criteria(self):
        criteria = []
        for row in _lines(self.cleaned_data["criteria"]):
            if len(row) != 2 or not row[1].isdigit():
                raise forms.ValidationError(_('Write each criterion as "name, full marks".'))
            criteria.append((row[0], int(row[1])))
        return criteria

    def round_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "name", "opens_at", "closes_at", "advance", "approvals_per_voter",
                                              "quota_per_level", "online_weight", "panel_weight", "public_vote",
                                              "show_live_totals")}  # fmt: skip


class SubmissionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=300, required=False,
        help_text=gettext_lazy("One or two sentences shown on the public vote page."),
    )  # fmt: skip
    narrative = forms.CharField(
        label=gettext_lazy("Narrative"), max_length=30000, required=False, widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("What was done, how, and what came of it."),
    )  # fmt: skip
    level = forms.ChoiceField(label=gettext_lazy("Deputy level"), choices=[("", "—"), *Level.choices], required=False)
    mandates = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Deputies"), coerce=int, required=False,
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )  # fmt: skip
    suggestion = forms.ModelChoiceField(label=gettext_lazy("Suggestion"), queryset=None, required=False)
    station = forms.ModelChoiceField(label=gettext_lazy("Liaison station"), queryset=None, required=False)
    video_url = forms.URLField(label=gettext_lazy("Video link"), required=False, max_length=200, assume_scheme="https")
    files = MultipleFileField(
        label=gettext_lazy("Documents and photos"), required=False,
        help_text=gettext_lazy("JPEG, PNG or PDF files of 5 MB each; photos show on the public vote page."),
    )  # fmt: skip

    def __init__(self, *args, kind, mandates, suggestions, stations, submission=None, **kwargs):
        if submission is not None:
            kwargs["initial"] = {
                "title": submission.title, "summary": submission.summary, "narrative": submission.narrative,
                "level": submission.level, "mandates": [m.pk for m in submission.mandates.all()],
                "suggestion": submission.suggestion_id, "station": submission.station_id,
                "video_url": submission.video_url,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["mandates"].choices = [(m.pk, f"{m.person.name}（{m.congress.name}）") for m in mandates]
        self.fields["mandates"].widget.attrs["size"] = min(12, max(4, len(self.fields["mandates"].choices)))
        self.fields["suggestion"].queryset = suggestions
        self.fields["station"].queryset = stations
        if kind != CampaignKind.SUGGESTION:
            del self.fields["suggestion"]
        if kind != CampaignKind.STATION:
            del self.fields["station"]

    def submission_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("title", "summary", "narrative", "level", "video_url")}
        for name in ("suggestion", "station"):
            if name in self.fields:
                fields[name] = data[name]
        return fields


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Council's confirmation"), max_length=3000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=gettext_lazy("Approval round: the meeting and its date."),
    )  # fmt: skip


class TieForm(forms.Form):
    group = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    chosen = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Cases that go on"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the decision"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, tied, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(e.submission_id, e.submission.title) for e in tied]


class StrikeForm(forms.Form):
    submission = forms.TypedChoiceField(label=gettext_lazy("Case"), coerce=int)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [(e.submission_id, e.submission.title) for e in entries]


class BallotForm(forms.Form):
    # Django's "please fill this in" names nothing a voter can fill: the ballot's boxes are ticked.
    submissions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Cases you approve"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one case before casting your ballot.")},
    )  # fmt: skip

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submissions"].choices = [(e.submission_id, e.submission.title) for e in entries]


class ScoreForm(forms.Form):
    submission = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} (0–{criterion.max_points})", min_value=Decimal(0),
                max_value=Decimal(criterion.max_points), decimal_places=2,
            )  # fmt: skip

    def points(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class PhoneForm(ChallengeForm):
    phone = MobilePhoneField(
        label=gettext_lazy("Mobile phone"),
        help_text=gettext_lazy("We send a code to this number; it is never shown or kept in readable form."),
    )


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=11)
    code = forms.CharField(
        label=gettext_lazy("Code from the text message"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


class CertificatesForm(NativeInputs, forms.Form):
    """The award the certificates name, their date and the format."""

    award = forms.CharField(label=gettext_lazy("Award"), max_length=50)
    issued_on = forms.DateField(label=gettext_lazy("Date on the certificates"))
    format = forms.ChoiceField(
        label=gettext_lazy("format"),
        choices=[("docx", gettext_lazy(".docx files (zip)")), ("pdf", gettext_lazy("one PDF"))],
    )
