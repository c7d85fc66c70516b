from rest_framework.routers import SimpleRouter

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/.
router = SimpleRouter()

urlpatterns = router.urls
