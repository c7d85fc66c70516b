import django_filters

from congress.api.filters import SyncFilterSet

from ..models import Campaign, Round, Submission


class CampaignFilter(SyncFilterSet):
    kind = django_filters.CharFilter(label="Kind: duty, suggestion or station")
    status = django_filters.CharFilter(label="Status: draft, open, selecting or finished")

    class Meta:
        model = Campaign
        fields = ["congress", "year"]


class SubmissionFilter(SyncFilterSet):
    status = django_filters.CharFilter(label="Status: draft, submitted, returned or rejected")
    level = django_filters.CharFilter(label="Deputy level")

    class Meta:
        model = Submission
        fields = ["campaign", "unit"]


class RoundFilter(SyncFilterSet):
    status = django_filters.CharFilter(label="Status: draft, open, closed or decided")

    class Meta:
        model = Round
        fields = ["campaign"]
