from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("deputies", views.PersonViewSet)
router.register("mandates", views.MandateViewSet)
router.register("deputy-groups", views.DeputyGroupViewSet)
router.register("contact-assignments", views.ContactAssignmentViewSet)
router.register("contact-records", views.ContactRecordViewSet)
router.register("duty-entries", views.DutyEntryViewSet)

urlpatterns = router.urls
