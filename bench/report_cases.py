"""Reports compared across scopes: the suggestion statistics page and the staff dashboard of the provincial congress
against those of its busiest county congress, on the suggestion cases' province. A report that reads aggregates
costs about the same whatever the number of rows below it; one that reads the rows grows with them."""

from django.db.models import Count
from django.db.models.functions import Length
from django.urls import reverse

from congress import dashboard, tallies
from congress.models import Congress, Role
from suggestions.models import Suggestion

from .harness import Result, count_queries, p50_p95_ms, signed_in
from .suggestion_cases import PROVINCE, SIZES, _member, grow


def _scopes() -> tuple[Congress, Congress]:
    """The provincial congress and the county congress with the most suggestions."""
    province = Congress.objects.get(region__code=PROVINCE)
    busiest = (
        Suggestion.objects.annotate(code_length=Length("congress__region__code"))
        .filter(region_code__startswith=PROVINCE, code_length=6)
        .values_list("congress_id")
        .annotate(n=Count("id"))
        .order_by("-n", "congress_id")
        .first()
    )
    # A tiny run may leave every county without a suggestion: then any county congress of the province.
    county = Congress.objects.get(pk=busiest[0]) if busiest else _any_county()
    return province, county


def _any_county() -> Congress:
    return (
        Congress.objects.annotate(code_length=Length("region__code"))
        .filter(region__code__startswith=PROVINCE, code_length=6)
        .order_by("pk")
        .first()
    )


def _compare(name: str, measure, province: Congress, county: Congress, notes: dict) -> list[Result]:
    county_p50, county_p95, county_queries = measure(county)
    province_p50, province_p95, province_queries = measure(province)
    return [
        Result(
            name=f"{name}, county congress ({county.region.name})",
            app="reports",
            size=Suggestion.objects.filter(congress=county).count(),
            figure_ms=county_p50,
            reference="itself",
            reference_ms=county_p50,
            ratio=1.0,
            queries=county_queries,
            notes={**notes, "p95_ms": round(county_p95, 1)},
        ),
        Result(
            name=f"{name}, provincial congress",
            app="reports",
            size=Suggestion.objects.filter(congress=province).count(),
            figure_ms=province_p50,
            reference=f"the same for the county congress ({county.region.name})",
            reference_ms=county_p50,
            ratio=province_p50 / county_p50,
            queries=province_queries,
            target_max=2.0,
            notes={**notes, "p95_ms": round(province_p95, 1)},
        ),
    ]


def report_statistics() -> list[Result]:
    """The statistics page (`suggestions:statistics`, all sessions) for the provincial congress's staff against
    the same page for a county congress's staff. Target: the province's page at most twice the county's."""
    total = grow(SIZES[-1])
    tallies.refresh()
    province, county = _scopes()

    def measure(congress):
        client = signed_in(_member(f"bench_report_staff_{congress.pk}", Role.STAFF, congress=congress))
        url = f"{reverse('suggestions:statistics')}?congress={congress.pk}"

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return (*p50_p95_ms(page, runs=10), count_queries(page))

    return _compare("statistics page", measure, province, county, {"suggestions_in_province": total})


def report_dashboard() -> list[Result]:
    """Every panel of the staff dashboard (`congress.dashboard.build`: suggestions, stations, training) for the
    provincial congress's staff against a county congress's staff. Target: at most twice the county's."""
    total = grow(SIZES[-1])
    tallies.refresh()
    province, county = _scopes()

    def measure(congress):
        user = _member(f"bench_report_staff_{congress.pk}", Role.STAFF, congress=congress)

        def build():
            view = dashboard.build(user, str(congress.pk))
            assert view is not None and view.congress == congress

        return (*p50_p95_ms(build, runs=10), count_queries(build))

    return _compare("dashboard panels", measure, province, county, {"suggestions_in_province": total})


CASES = [report_statistics, report_dashboard]
