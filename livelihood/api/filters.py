import django_filters
from django.utils import timezone

from congress.api.filters import LimitedFilterSet, SyncFilterSet

from ..models import (
    Appraisal,
    AppraisalStatus,
    Candidate,
    CandidateOutcome,
    Decision,
    Milestone,
    Programme,
    ProgrammeStatus,
    ProgressReport,
    Proposal,
    ProposalStatus,
    SiteVisit,
    Source,
    SupervisionGroup,
)


class LivelihoodProgrammeFilter(SyncFilterSet):
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices)

    class Meta:
        model = Programme
        fields = ["congress", "year", "status"]


class LivelihoodProposalFilter(SyncFilterSet):
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)

    class Meta:
        model = Proposal
        fields = ["programme", "status", "source"]


class LivelihoodCandidateFilter(LimitedFilterSet):
    outcome = django_filters.ChoiceFilter(
        choices=CandidateOutcome.choices, method="by_outcome", label="Outcome (pending until the vote is counted)"
    )

    class Meta:
        model = Candidate
        fields = ["programme"]

    def by_outcome(self, queryset, name, value):
        # An outcome is read only where it is known, as the shape shows it.
        from .serializers import COUNTED

        if value == CandidateOutcome.PENDING:
            return queryset.exclude(programme__status__in=COUNTED)
        return queryset.filter(programme__status__in=COUNTED, outcome=value)


class LivelihoodDecisionFilter(LimitedFilterSet):
    class Meta:
        model = Decision
        fields = ["programme"]


class LivelihoodMilestoneFilter(SyncFilterSet):
    programme = django_filters.NumberFilter(field_name="project__programme")
    overdue = django_filters.BooleanFilter(method="by_overdue", label="Overdue: not done and due before today")

    class Meta:
        model = Milestone
        fields = ["project", "programme"]

    def by_overdue(self, queryset, name, value):
        late = Milestone.overdue(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class LivelihoodProgressReportFilter(SyncFilterSet):
    programme = django_filters.NumberFilter(field_name="project__programme")

    class Meta:
        model = ProgressReport
        fields = ["project", "programme", "year", "quarter"]


class LivelihoodSupervisionGroupFilter(SyncFilterSet):
    programme = django_filters.NumberFilter(field_name="project__programme")

    class Meta:
        model = SupervisionGroup
        fields = ["project", "programme"]


class LivelihoodSiteVisitFilter(SyncFilterSet):
    programme = django_filters.NumberFilter(field_name="project__programme")

    class Meta:
        model = SiteVisit
        fields = ["project", "programme"]


class LivelihoodAppraisalFilter(LimitedFilterSet):
    # No updated_since: an appraisal has no updated_at (its rows are few and read whole).
    project = django_filters.NumberFilter(field_name="candidate")
    programme = django_filters.NumberFilter(field_name="candidate__programme")
    status = django_filters.ChoiceFilter(choices=AppraisalStatus.choices)

    class Meta:
        model = Appraisal
        fields = ["project", "programme", "status"]
