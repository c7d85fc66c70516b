from rest_framework.routers import SimpleRouter

from . import views

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/.
router = SimpleRouter()
router.register("cases/campaigns", views.CampaignViewSet, basename="case-campaign")
router.register("cases/submissions", views.SubmissionViewSet, basename="case-submission")
router.register("cases/rounds", views.RoundViewSet, basename="case-round")

urlpatterns = router.urls
