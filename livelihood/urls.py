from django.urls import path

from . import views, views_carrying

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
    # Deputies
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    path("<int:pk>/propose/deputy/", views.propose_as_deputy, name="propose_as_deputy"),
    # Everyone
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("proposals/thanks/", views.thanks, name="thanks"),
    path("proposals/track/", views.track, name="track"),
    path("<int:pk>/results/", views.results, name="results"),
    # Carrying out and supervision of the chosen projects (views_carrying.py)
    path("<int:pk>/carrying/", views_carrying.carrying_list, name="carrying"),
    path("projects/<int:pk>/", views_carrying.project, name="project"),
    path("projects/<int:pk>/milestones/new/", views_carrying.milestone_new, name="milestone_new"),
    path("milestones/<int:pk>/done/", views_carrying.milestone_done, name="milestone_done"),
    path("projects/<int:pk>/supervision/", views_carrying.supervision, name="supervision"),
    path("projects/<int:pk>/report/", views_carrying.progress_report, name="progress_report"),
    path("projects/<int:pk>/visit/", views_carrying.site_visit, name="site_visit"),
    path("department/", views_carrying.department_projects, name="department_projects"),
    path("my-supervision/", views_carrying.my_supervision, name="my_supervision"),
    path("projects/<int:pk>/progress/", views_carrying.progress, name="progress"),
    path("progress-photos/<int:pk>/", views_carrying.photo, name="photo"),
]
