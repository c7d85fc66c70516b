from django import forms
from django.utils.translation import gettext_lazy

from congress.abuse import ChallengeForm
from congress.forms import NativeInputs
from congress.inputs import LoginForm, MobilePhoneField, TelInput
from congress.uploads import MultipleFileField, MultipleFileInput

from .models import CandidateOutcome, Feasibility, Verdict


class BallotForm(forms.Form):
    # Ticking none is a valid vote for none (弃权): the field may be empty.
    candidates = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Projects you vote for"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(c.pk, f"{c.number}. {c.title}") for c in candidates]


class OpenVoteForm(forms.Form):
    present = forms.IntegerField(
        label=gettext_lazy("Deputies present"), min_value=1, max_value=100000,
        help_text=gettext_lazy("As announced at the session: a project needs more than half of them."),
    )  # fmt: skip


class TieForm(forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Projects chosen"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the decision"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, tied, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(c.pk, f"{c.number}. {c.title}") for c in tied]


class ProposalFields(forms.Form):
    title = forms.CharField(label=gettext_lazy("Project"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What should be done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    area = forms.CharField(label=gettext_lazy("Where"), max_length=200,
                           help_text=gettext_lazy("The sub-district, community or road concerned."))  # fmt: skip
    benefit = forms.CharField(
        label=gettext_lazy("Who benefits, and how (optional)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class PublicProposalForm(ProposalFields, ChallengeForm):
    proposer_name = forms.CharField(label=gettext_lazy("Your name (optional)"), max_length=100, required=False)
    phone = MobilePhoneField(
        label=gettext_lazy("Mobile phone"), help_text=gettext_lazy("To follow up your proposal; it is never published.")
    )


class DeputyProposalForm(ProposalFields):
    pass


class TrackForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Tracking code"), max_length=12)
    phone_tail = forms.CharField(
        label=gettext_lazy("Last four digits of your phone"), min_length=4, max_length=4,
        widget=TelInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip


class AssessmentForm(forms.Form):
    feasibility = forms.ChoiceField(label=gettext_lazy("Feasibility"), choices=Feasibility.choices,
                                    widget=forms.RadioSelect)  # fmt: skip
    cost = forms.DecimalField(label=gettext_lazy("Cost estimate (10,000 yuan)"), min_value=0, max_digits=12,
                              decimal_places=2, required=False)  # fmt: skip
    department = forms.ModelChoiceField(label=gettext_lazy("Responsible department"), queryset=None, required=False)
    assessment = forms.CharField(
        label=gettext_lazy("Assessment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class ScreeningForm(forms.Form):
    """One row per open proposal: keep it as a candidate or drop it, with the reason (published)."""

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        for proposal in self.proposals:
            self.fields[f"p{proposal.pk}"] = forms.ChoiceField(
                label=f"{proposal.number}. {proposal.title}", widget=forms.RadioSelect,
                choices=[("keep", gettext_lazy("Put to the vote")), ("drop", gettext_lazy("Do not put to the vote"))],
            )  # fmt: skip
            self.fields[f"r{proposal.pk}"] = forms.CharField(
                label=gettext_lazy("Reason (published)"), max_length=500, required=False
            )

    def rows(self):
        return [(p, self[f"p{p.pk}"], self[f"r{p.pk}"]) for p in self.proposals]

    def decisions(self) -> tuple[dict, dict]:
        kept, dropped = {}, {}
        for proposal in self.proposals:
            target = kept if self.cleaned_data[f"p{proposal.pk}"] == "keep" else dropped
            target[proposal.pk] = self.cleaned_data[f"r{proposal.pk}"]
        return kept, dropped


# Paper ballots, entered twice by the tellers


class PaperIssueForm(forms.Form):
    mandate = forms.TypedChoiceField(label=gettext_lazy("Deputy taking a paper ballot"), coerce=int)

    def __init__(self, *args, mandates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"].choices = [("", "—"), *((m.pk, m.person.name) for m in mandates)]


class PaperEntryForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Sheet number"), min_value=1, max_value=100000)
    # A sheet marking none is a valid vote for none.
    candidates = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Projects marked on the sheet"), coerce=int, widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # fmt: skip

    spoiled = forms.BooleanField(
        label=gettext_lazy("The sheet is spoiled (废票)"), required=False,
        help_text=gettext_lazy("It marks more projects than allowed or cannot be read: it counts for nobody."),
    )  # fmt: skip

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(c.pk, f"{c.number}. {c.title}") for c in candidates]


class NotReturnedForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What the tellers found"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("E.g. a deputy left the venue with the ballot."),
    )  # fmt: skip


# Corrections of published results


class CorrectionForm(forms.Form):
    votes = forms.IntegerField(label=gettext_lazy("Votes after the correction"), min_value=0, max_value=100000)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome after the correction"), widget=forms.RadioSelect,
        choices=[(CandidateOutcome.CHOSEN, CandidateOutcome.CHOSEN.label),
                 (CandidateOutcome.NOT_CHOSEN, CandidateOutcome.NOT_CHOSEN.label)],
    )  # fmt: skip
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Published with the results."),
    )  # fmt: skip


# The year-end appraisal


class OpenAppraisalForm(NativeInputs, forms.Form):
    appraise_from = forms.DateField(label=gettext_lazy("Appraisal from"))
    appraise_until = forms.DateField(label=gettext_lazy("Appraisal until"))

    def __init__(self, *args, programme, **kwargs):
        # The window planned with the programme, for staff to confirm or move.
        kwargs.setdefault("initial", {"appraise_from": programme.appraise_from,
                                      "appraise_until": programme.appraise_until})  # fmt: skip
        super().__init__(*args, **kwargs)


class RatingForm(forms.Form):
    """One radio group per chosen project the deputy has not rated yet."""

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for project in self.projects:
            self.fields[f"c{project.pk}"] = forms.ChoiceField(
                label=f"{project.number}. {project.title}", choices=Verdict.choices, widget=forms.RadioSelect,
                required=False,
            )  # fmt: skip

    def verdicts(self) -> dict:
        return {p.pk: self.cleaned_data[f"c{p.pk}"] for p in self.projects if self.cleaned_data.get(f"c{p.pk}")}


class CorrectionReportForm(forms.Form):
    report = forms.CharField(
        label=gettext_lazy("How the project was corrected"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class CloseCorrectionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Closing note (optional)"), max_length=1000, required=False)


# A station's manager records a proposal received in person


class StationProposalForm(ProposalFields):
    programme = forms.TypedChoiceField(label=gettext_lazy("Programme"), coerce=int)
    proposer_name = forms.CharField(label=gettext_lazy("Proposer's name (optional)"), max_length=100, required=False)
    phone = MobilePhoneField(
        label=gettext_lazy("Proposer's mobile phone"),
        help_text=gettext_lazy("To follow up the proposal; it is never published."),
    )

    field_order = ["programme"]

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.title) for p in programmes]
        self.order_fields(["programme", "title", "description", "area", "benefit", "proposer_name", "phone"])


# Carrying out and supervision


class MilestoneForm(NativeInputs, forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=200)
    workdays = forms.IntegerField(
        label=gettext_lazy("Due in working days"), min_value=1, max_value=250, required=False,
        help_text=gettext_lazy("Counted from today on the working calendar; or give a date below."),
    )  # fmt: skip
    due_on = forms.DateField(label=gettext_lazy("Or due on"), required=False)


class MilestoneDoneForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What was done"), max_length=1000)


class ProgressReportForm(forms.Form):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))
    text = forms.CharField(
        label=gettext_lazy("Progress this quarter"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    spent = forms.DecimalField(label=gettext_lazy("Spent to date (10,000 yuan)"), min_value=0, max_digits=12,
                               decimal_places=2)  # fmt: skip
    photos = MultipleFileField(
        label=gettext_lazy("Photos (optional)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=gettext_lazy("JPEG or PNG photos of the site; they are shown on the project's public page."),
    )  # fmt: skip

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(f"{y}-{q}", quarter_label(y, q)) for y, q in quarters]

    def year_quarter(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["quarter"].split("-")
        return int(year), int(quarter)


def quarter_label(year: int, quarter: int) -> str:
    from django.utils.translation import gettext

    return gettext("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": quarter}


class SupervisionForm(forms.Form):
    committee = forms.ModelChoiceField(label=gettext_lazy("Leading committee"), queryset=None)
    group = forms.ModelChoiceField(
        label=gettext_lazy("Deputies: an existing deputy group"), queryset=None, required=False
    )
    group_name = forms.CharField(
        label=gettext_lazy("Or a new working group named"), max_length=100, required=False,
        help_text=gettext_lazy("Its members are then chosen on the deputy groups' page."),
    )  # fmt: skip

    def __init__(self, *args, committees, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["group"].queryset = groups


class SiteVisitForm(NativeInputs, forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    seen = forms.CharField(
        label=gettext_lazy("What the group saw"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    opinions = forms.CharField(
        label=gettext_lazy("Residents' opinions gathered"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    activity = forms.ModelChoiceField(label=gettext_lazy("Part of the activity (optional)"), queryset=None,
                                      required=False)  # fmt: skip

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class TabletEnrolForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Name of this tablet"), max_length=40,
        help_text=gettext_lazy("A name to tell the tablets apart, e.g. 会场平板3."),
    )  # fmt: skip


class TabletSignInForm(LoginForm):
    """A deputy's own account on the venue's tablet: the login's checks and lockout, but no session; the shared
    device neither suggests nor remembers what was typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "off"})
