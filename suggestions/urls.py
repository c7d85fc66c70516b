from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    # Deputies
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("autosave/", views.autosave, name="autosave"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("cosign/<int:pk>/", views.cosign, name="cosign"),
    # One suggestion, for everyone who may see it, and the actions on it
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("assignments/<int:pk>/do/<slug:action>/", views.act_on_assignment, name="act_on_assignment"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/remove/", views.remove_attachment, name="remove_attachment"),
    path("replies/<int:pk>/letter/", views.letter, name="letter"),
    # Staff
    path("review/", views.review, name="review"),
    path("review/assign/", views.bulk_assign, name="bulk_assign"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_export, name="statistics_export"),
    # Handling units
    path("unit/", views.unit, name="unit"),
    # Key supervision
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/new/", views.supervision_new, name="supervision_new"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    # Public pages: no login
    path("public/", views.public, name="public"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
