from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", admin.site.urls),
    path("api/v1/", include("congress.api.urls")),
    path("api/v1/", include("deputies.api.urls")),
    path("api/v1/", include("liaison_stations.api.urls")),
    path("api/v1/", include("suggestions.api.urls")),
    path("api/v1/", include("training.api.urls")),
    path("api/v1/", include("cases.api.urls")),
    re_path(r"^api/v1/.*/$", views.api_not_found),  # after every API router: unmatched addresses get JSON
    path("deputies/", include("deputies.urls")),
    path("stations/", include("liaison_stations.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("training/", include("training.urls")),
    path("cases/", include("cases.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
