from django.urls import path

from . import export_views, views

app_name = "livelihood"

urlpatterns = [
    # Staff, and the assessing office
    path("", views.manage, name="manage"),
    path("<int:pk>/", views.programme, name="programme"),
    path("<int:pk>/do/<slug:action>/", views.programme_action, name="programme_action"),
    path("<int:pk>/candidates/", views.screen, name="screen"),
    path("<int:pk>/open-vote/", views.open_vote, name="open_vote"),
    path("<int:pk>/tie/", views.break_tie, name="break_tie"),
    path("proposals/<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/proposals.xlsx", export_views.proposals_export, name="proposals_export"),
    path("<int:pk>/candidates.xlsx", export_views.candidates_export, name="candidates_export"),
    path("<int:pk>/results.xlsx", export_views.results_export, name="results_export"),
    # Deputies
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    path("<int:pk>/propose/deputy/", views.propose_as_deputy, name="propose_as_deputy"),
    # Everyone
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("proposals/thanks/", views.thanks, name="thanks"),
    path("proposals/track/", views.track, name="track"),
    path("<int:pk>/results/", views.results, name="results"),
]
