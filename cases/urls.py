from django.urls import path

from .views import public, staff, submissions, voting

app_name = "cases"

urlpatterns = [
    path("", staff.campaigns, name="campaigns"),
    path("new/", staff.campaign_new, name="campaign_new"),
    path("<int:pk>/", staff.campaign, name="campaign"),
    path("<int:pk>/edit/", staff.campaign_edit, name="campaign_edit"),
    path("<int:pk>/act/<str:action>/", staff.campaign_act, name="campaign_act"),
    path("<int:pk>/rounds/new/", staff.round_new, name="round_new"),
    path("<int:pk>/results/", staff.results, name="results"),
    path("<int:pk>/results/print/", staff.results_print, name="results_print"),
    path("<int:pk>/results.xlsx", staff.results_xlsx, name="results_xlsx"),
    path("<int:pk>/results/certificates/", staff.certificates, name="certificates"),
    path("<int:pk>/submit/", submissions.submission_new, name="submission_new"),
    path("invitations/<int:pk>/quota/", staff.unit_quota, name="unit_quota"),
    path("rounds/<int:pk>/", staff.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", staff.round_edit, name="round_edit"),
    path("rounds/<int:pk>/act/<str:action>/", staff.round_act, name="round_act"),
    path("rounds/<int:pk>/tie/", staff.break_tie, name="break_tie"),
    path("rounds/<int:pk>/strike/", staff.strike, name="strike"),
    path("rounds/<int:pk>/ballot/", voting.ballot, name="ballot"),
    path("ballots/", voting.ballots, name="ballots"),
    path("unit/", submissions.unit, name="unit"),
    path("submissions/<int:pk>/", submissions.submission, name="submission"),
    path("submissions/<int:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/submit/", submissions.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/review/<str:action>/", staff.review, name="review"),
    path("files/<int:pk>/", submissions.file, name="file"),
    path("files/<int:pk>/remove/", submissions.file_remove, name="file_remove"),
    path("vote/<str:slug>/", public.public, name="public"),
    path("vote/<str:slug>/code/", public.public_code, name="public_code"),
    path("vote/<str:slug>/verify/", public.public_verify, name="public_verify"),
    path("vote/<str:slug>/cast/", public.public_cast, name="public_cast"),
    path("vote/<str:slug>/photos/<int:pk>/", public.public_photo, name="public_photo"),
]
