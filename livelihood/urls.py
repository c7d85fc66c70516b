from django.urls import path

from . import export_views, views, views_carrying

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
    path("<int:pk>/carrying-out.xlsx", export_views.carrying_export, name="carrying_export"),
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

# Paper ballots, corrections of published results, the year-end appraisal, and stations' proposals
from . import views_appraisal, views_paper, views_station, views_venue  # noqa: E402

urlpatterns += [
    path("<int:pk>/tablets/", views_venue.tablets, name="tablets"),
    path("tablets/<int:pk>/withdraw/", views_venue.withdraw_tablet, name="withdraw_tablet"),
    path("<int:pk>/tablet/", views_venue.tablet, name="tablet"),
    path("<int:pk>/paper/", views_paper.tellers, name="paper"),
    path("<int:pk>/paper/issue/", views_paper.issue, name="paper_issue"),
    path("<int:pk>/paper/enter/", views_paper.enter, name="paper_enter"),
    path("<int:pk>/paper/not-returned/", views_paper.not_returned, name="paper_not_returned"),
    path("candidates/<int:pk>/correct/", views_appraisal.correct, name="correct"),
    path("<int:pk>/appraisal/open/", views_appraisal.open_appraisal, name="open_appraisal"),
    path("<int:pk>/appraisal/close/", views_appraisal.close_appraisal, name="close_appraisal"),
    path("<int:pk>/rate/", views_appraisal.rate, name="rate"),
    path("appraisals/<int:pk>/", views_appraisal.appraisal_page, name="appraisal"),
    path("appraisals/<int:pk>/close/", views_appraisal.close_correction, name="close_correction"),
    path("corrections/", views_appraisal.corrections_due, name="corrections_due"),
    path("stations/<int:station_pk>/propose/", views_station.propose_at_station, name="propose_at_station"),
]
