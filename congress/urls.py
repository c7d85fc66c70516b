from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from . import topic_views, twofactor, twofactor_sms_views, views
from .api.schema import SchemaView
from .inputs import LoginForm

# ReDoc's page alone needs more than the site's policy: ReDoc injects its styles as <style> elements carrying the
# page's nonce, plus the scrollbar's fixed styles (empty at first, then filled: their two hashes), and runs its
# search in a worker started from a blob: address. Its logo from an outside address stays refused.
redoc_policy = csp_update(
    {
        "style-src": [
            NONCE,
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
            "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
        ],
        "worker-src": [SELF, "blob:"],
    }
)

handler400 = "congress.views.bad_request"
handler403 = "congress.views.permission_denied"
handler404 = "congress.views.page_not_found"
handler500 = "congress.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", twofactor.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", twofactor.setup, name="two_factor_setup"),
    path("accounts/two-factor/backup-codes/", twofactor.backup_codes, name="two_factor_backup"),
    path("accounts/two-factor/sms/", twofactor_sms_views.verify, name="two_factor_sms_verify"),
    path("accounts/two-factor/sms/setup/", twofactor_sms_views.setup, name="two_factor_sms_setup"),
    path("accounts/two-factor/sms/<int:pk>/confirm/", twofactor_sms_views.confirm, name="two_factor_sms_confirm"),
    path("accounts/two-factor/sms/<int:pk>/remove/", twofactor_sms_views.remove_view, name="two_factor_sms_remove"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("topics/", topic_views.topic_list, name="topics"),
    path("topics/<int:pk>/", topic_views.topic_detail, name="topic"),
    path("topics/export.xlsx", topic_views.topic_export, name="topics_export"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("sms/receipts/aliyun/<str:token>/", views.sms_receipt_aliyun, name="sms_receipt_aliyun"),
    path("sms/receipts/gateway/", views.sms_receipt_gateway, name="sms_receipt_gateway"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", admin.site.urls),
    path("api/v1/", include("congress.api.urls")),
    path("api/v1/", include("deputies.api.urls")),
    path("api/v1/", include("liaison_stations.api.urls")),
    path("api/v1/", include("suggestions.api.urls")),
    path("api/v1/", include("training.api.urls")),
    path("api/v1/", include("activities.api.urls")),
    path("api/v1/", include("livelihood.api.urls")),
    path("api/v1/", include("cases.api.urls")),
    re_path(r"^api/v1/.*/$", views.api_not_found),  # after every API router: unmatched addresses get JSON
    path("deputies/", include("deputies.urls")),
    path("stations/", include("liaison_stations.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("training/", include("training.urls")),
    path("activities/", include("activities.urls")),
    path("livelihood/", include("livelihood.urls")),
    path("cases/", include("cases.urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", redoc_policy(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
]
