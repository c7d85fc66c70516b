from django.urls import path

from . import views

app_name = "livelihood"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("<int:pk>/", views.programme, name="programme"),
    path("<int:pk>/do/<slug:action>/", views.programme_action, name="programme_action"),
    path("<int:pk>/open-vote/", views.open_vote, name="open_vote"),
    path("<int:pk>/tie/", views.break_tie, name="break_tie"),
    # Deputies
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    # Everyone
    path("<int:pk>/results/", views.results, name="results"),
]
