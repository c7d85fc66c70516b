import django_filters

from congress.api.filters import LimitedFilterSet, SyncFilterSet

from ..models import Candidate, CandidateOutcome, Decision, Programme, ProgrammeStatus, Proposal, ProposalStatus, Source


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
