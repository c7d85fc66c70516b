from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet)
router.register("congresses", views.CongressViewSet)
router.register("terms", views.TermViewSet)
router.register("sessions", views.SessionViewSet)
router.register("organisations", views.OrganisationViewSet)
router.register("policies", views.PolicyValueViewSet)
router.register("changes", views.ChangeViewSet)
router.register("webhooks", views.WebhookViewSet)
router.register("webhook-deliveries", views.WebhookDeliveryViewSet)
router.register("webhook-events", views.WebhookEventViewSet, basename="webhook-event")

urlpatterns = router.urls
