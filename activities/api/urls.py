from rest_framework.routers import SimpleRouter

from . import experts, views

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/. Basenames are
# prefixed: training has sittings and attendance too.
router = SimpleRouter()
router.register("activities/sittings", views.SittingViewSet, basename="activity-sitting")
router.register("activities/invitations", views.InvitationViewSet, basename="activity-invitation")
router.register("activities/attendance", views.AttendanceViewSet, basename="activity-attendance")
router.register("activities/expert-pools", experts.ExpertPoolViewSet, basename="activity-expert-pool")
router.register("activities/experts", experts.ExpertViewSet, basename="activity-expert")
router.register("activities/expert-invitations", experts.ExpertInvitationViewSet, basename="activity-expert-invitation")
router.register("activities/participants", views.ParticipantViewSet, basename="activity-participant")
router.register("activities/findings", views.FindingViewSet, basename="activity-finding")
router.register("activities/voter-reports", views.VoterReportViewSet, basename="activity-voter-report")
router.register("activities", views.ActivityViewSet, basename="activity")

urlpatterns = router.urls
