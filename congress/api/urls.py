from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet)
router.register("congresses", views.CongressViewSet)
router.register("terms", views.TermViewSet)
router.register("sessions", views.SessionViewSet)
router.register("organisations", views.OrganisationViewSet)
router.register("policies", views.PolicyValueViewSet)

urlpatterns = router.urls
