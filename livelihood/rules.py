"""Who sees which livelihood records and who may act on them: registered with congress.scope.

Staff of the programme's congress run it; the officers of its assessing office assess the proposals; the
congress's deputies vote. What a ballot marked is never readable row by row by anyone: the pages and the API
show counts (Candidate.votes), and who has voted (Turnout) only to staff."""

from django.db.models import Q

from congress import scope
from congress.models import Role

from .models import (
    PUBLISHED_STATES,
    Appraisal,
    Candidate,
    CandidateOutcome,
    Correction,
    Decision,
    Milestone,
    PaperSheet,
    Programme,
    ProgressPhoto,
    ProgressReport,
    Proposal,
    Rating,
    SiteVisit,
    SupervisionGroup,
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


def _projects(user) -> Q:
    """A candidate: whoever sees its programme; a chosen project of published results also its department's
    officers and the deputies of its supervision group."""
    q = Q(programme__in=scope.visible(user, Programme))
    carried = Q(outcome=CandidateOutcome.CHOSEN, programme__status__in=PUBLISHED_STATES)
    units = scope.unit_ids(user)
    if units:
        q |= carried & Q(department_id__in=units)
    if getattr(user, "pk", None) and scope.has_role(user, Role.DEPUTY):
        q |= carried & Q(pk__in=SupervisionGroup.objects.filter(
            group__memberships__mandate__person__user_id=user.pk).values("project_id"))  # fmt: skip
    return q


def _of_projects(path: str):
    return lambda user: Q(**{f"{path}__in": scope.visible(user, Candidate)})


scope.register(Candidate, scope.ScopeSpec(custom=_projects))
for _model, _path in ((Milestone, "project"), (ProgressReport, "project"), (ProgressPhoto, "report__project"),
                      (SupervisionGroup, "project"), (SiteVisit, "project")):  # fmt: skip
    scope.register(_model, scope.ScopeSpec(custom=_of_projects(_path)))
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
    project = _project_of(obj)
    return project.programme if project is not None else None


def _project_of(obj) -> Candidate | None:
    if isinstance(obj, Candidate):
        return obj
    if isinstance(obj, Milestone | ProgressReport | SupervisionGroup | SiteVisit):
        return obj.project
    if isinstance(obj, ProgressPhoto):
        return obj.report.project
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


# Carrying out


def _carried(project: Candidate | None) -> bool:
    return project is not None and project.outcome == CandidateOutcome.CHOSEN


@scope.rule("livelihood.plan")
def plan(user, obj) -> bool:
    """A chosen project's milestones: the congress's staff, or the officers of the department carrying it out."""
    project = _project_of(obj)
    return _carried(project) and (manage(user, project) or report(user, project))


@scope.rule("livelihood.report")
def report(user, obj) -> bool:
    """A chosen project's milestones done and its progress reports: the responsible department's officers."""
    project = _project_of(obj)
    return _carried(project) and project.department_id in scope.unit_ids(user)


@scope.rule("livelihood.visit")
def visit(user, obj) -> bool:
    """A site visit: a deputy of the project's supervision group, holding an active seat in its congress."""
    project = _project_of(obj)
    if not _carried(project) or not getattr(user, "pk", None):
        return False
    return SupervisionGroup.objects.filter(
        project=project, group__memberships__mandate__person__user_id=user.pk,
        group__memberships__mandate__status="active",
    ).exists()  # fmt: skip
