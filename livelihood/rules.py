"""Who sees which livelihood records and who may act on them: registered with congress.scope.

Staff of the programme's congress run it; the officers of its assessing office assess the proposals; the
congress's deputies vote. What a ballot marked is never readable row by row by anyone: the pages and the API
show counts (Candidate.votes), and who has voted (Turnout) only to staff."""

from django.db.models import Q

from congress import scope
from congress.models import Role

from .models import (
    Appraisal,
    Candidate,
    Correction,
    Decision,
    PaperSheet,
    Programme,
    Proposal,
    Rating,
    Turnout,
)


def _programmes(user) -> Q:
    q = scope.prefix_q("region_code", scope.region_prefixes(user))
    units = scope.unit_ids(user)
    if units:
        q |= Q(office_id__in=units)
    return q


scope.register(Programme, scope.ScopeSpec(custom=_programmes))
scope.register(Proposal, scope.ScopeSpec(custom=lambda user: Q(programme__in=scope.visible(user, Programme))))
scope.register(Candidate, scope.ScopeSpec(custom=lambda user: Q(programme__in=scope.visible(user, Programme))))
scope.register(Decision, scope.ScopeSpec(region="programme__region_code"))
scope.register(Turnout, scope.ScopeSpec(region="programme__region_code", deputy_user="mandate__person__user_id"))
scope.register(Correction, scope.ScopeSpec(region="programme__region_code"))
scope.register(PaperSheet, scope.ScopeSpec(region="programme__region_code"))
scope.register(
    Rating, scope.ScopeSpec(region="candidate__programme__region_code", deputy_user="mandate__person__user_id")
)


def _appraisals(user) -> Q:
    q = scope.prefix_q("candidate__programme__region_code", scope.region_prefixes(user))
    units = scope.unit_ids(user)
    if units:
        q |= Q(candidate__department_id__in=units)
    return q


scope.register(Appraisal, scope.ScopeSpec(custom=_appraisals))


def _programme_of(obj) -> Programme | None:
    if isinstance(obj, Programme):
        return obj
    if isinstance(obj, Proposal | Candidate | Decision | Turnout | Correction | PaperSheet):
        return obj.programme
    if isinstance(obj, Appraisal | Rating):
        return obj.candidate.programme
    return None


# Who runs a congress's programme: its staff, and its integration client (the congress's own system running the
# programme through the API with the `livelihood:write` scope) the same, as for activities.
OFFICE = (Role.STAFF, Role.INTEGRATION_CLIENT)


@scope.rule("livelihood.manage")
def manage(user, obj) -> bool:
    """The programme, its proposals' screening and its vote's opening, count and results: staff (or the integration
    client) of its congress."""
    programme = _programme_of(obj)
    return programme is not None and programme.congress_id in scope.congress_ids(user, OFFICE)


@scope.rule("livelihood.assess")
def assess(user, obj) -> bool:
    """A proposal's assessment: the officers of the programme's assessing office."""
    programme = _programme_of(obj)
    return programme is not None and programme.office_id in scope.unit_ids(user)


@scope.rule("livelihood.correct")
def correct(user, obj) -> bool:
    """An unsatisfactory project's correction report: the officers of its responsible department."""
    return isinstance(obj, Appraisal) and obj.candidate.department_id in scope.unit_ids(user)
