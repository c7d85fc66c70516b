from rest_framework.routers import SimpleRouter

from . import views

# SimpleRouter like the other apps: congress.api.urls already serves the API root at /api/v1/.
router = SimpleRouter()
router.register("suggestions", views.SuggestionViewSet)
router.register("assignments", views.AssignmentViewSet)
router.register("suggestion-categories", views.CategoryViewSet)
router.register("key-supervisions", views.KeySupervisionViewSet)

urlpatterns = router.urls
