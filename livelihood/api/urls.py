from rest_framework.routers import SimpleRouter

from . import views

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/.
router = SimpleRouter()
router.register("livelihood/programmes", views.ProgrammeViewSet, basename="livelihood-programme")
router.register("livelihood/proposals", views.ProposalViewSet, basename="livelihood-proposal")
router.register("livelihood/candidates", views.CandidateViewSet, basename="livelihood-candidate")
router.register("livelihood/tie-decisions", views.DecisionViewSet, basename="livelihood-tie-decision")
router.register("livelihood/milestones", views.MilestoneViewSet, basename="livelihood-milestone")
router.register("livelihood/progress-reports", views.ProgressReportViewSet, basename="livelihood-progress-report")
router.register("livelihood/supervision-groups", views.SupervisionGroupViewSet,
                basename="livelihood-supervision-group")  # fmt: skip
router.register("livelihood/site-visits", views.SiteVisitViewSet, basename="livelihood-site-visit")
router.register("livelihood/appraisals", views.AppraisalViewSet, basename="livelihood-appraisal")

urlpatterns = router.urls
