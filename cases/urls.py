from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/act/<str:action>/", views.campaign_act, name="campaign_act"),
    path("<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/print/", views.results_print, name="results_print"),
    path("<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<int:pk>/submit/", views.submission_new, name="submission_new"),
    path("invitations/<int:pk>/quota/", views.unit_quota, name="unit_quota"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/act/<str:action>/", views.round_act, name="round_act"),
    path("rounds/<int:pk>/tie/", views.break_tie, name="break_tie"),
    path("rounds/<int:pk>/strike/", views.strike, name="strike"),
    path("rounds/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("ballots/", views.ballots, name="ballots"),
    path("unit/", views.unit, name="unit"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/review/<str:action>/", views.review, name="review"),
    path("files/<int:pk>/", views.file, name="file"),
    path("files/<int:pk>/remove/", views.file_remove, name="file_remove"),
    path("vote/<str:slug>/", views.public, name="public"),
    path("vote/<str:slug>/code/", views.public_code, name="public_code"),
    path("vote/<str:slug>/verify/", views.public_verify, name="public_verify"),
    path("vote/<str:slug>/cast/", views.public_cast, name="public_cast"),
    path("vote/<str:slug>/photos/<int:pk>/", views.public_photo, name="public_photo"),
]
