from rest_framework.routers import SimpleRouter

from . import views

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/.
router = SimpleRouter()
router.register("training/plans", views.PlanViewSet)
router.register("training/courses", views.CourseViewSet)
router.register("training/sittings", views.SittingViewSet)
router.register("training/enrolments", views.EnrolmentViewSet)
router.register("training/attendance", views.AttendanceViewSet)
router.register("training/hours", views.HoursViewSet, basename="training-hours")

urlpatterns = router.urls
