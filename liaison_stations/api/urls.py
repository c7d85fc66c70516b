from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("stations", views.StationViewSet)
router.register("stationings", views.StationingViewSet)
router.register("receptions", views.ReceptionViewSet)
router.register("visits", views.VisitViewSet)
router.register("opinions", views.OpinionViewSet)
router.register("star-ratings", views.StarRatingViewSet)

urlpatterns = router.urls
