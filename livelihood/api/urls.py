from rest_framework.routers import SimpleRouter

from . import views

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/.
router = SimpleRouter()
router.register("livelihood/programmes", views.ProgrammeViewSet, basename="livelihood-programme")
router.register("livelihood/proposals", views.ProposalViewSet, basename="livelihood-proposal")
router.register("livelihood/candidates", views.CandidateViewSet, basename="livelihood-candidate")
router.register("livelihood/tie-decisions", views.DecisionViewSet, basename="livelihood-tie-decision")

urlpatterns = router.urls
