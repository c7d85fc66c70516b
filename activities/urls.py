from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    # Deputies: 我的活动
    path("mine/", views.mine, name="mine"),
    path("invitations/<int:pk>/do/<slug:action>/", views.answer, name="answer"),
    path("check-in/", views.check_in, name="check_in"),
    path("c/<str:code>/", views.check_in_link, name="check_in_link"),
    # One activity, for everyone who may see it; its desk for staff
    path("<int:pk>/", views.activity, name="activity"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/do/<slug:action>/", views.activity_action, name="activity_action"),
    path("findings/<int:pk>/draft/", views.finding_draft, name="finding_draft"),
    path("findings/<int:pk>/refer/", views.finding_refer, name="finding_refer"),
    path("findings/<int:pk>/answer/", views.finding_answer, name="finding_answer"),
    path("<int:pk>/voter-reports/", views.voter_report, name="voter_report"),
    path("sittings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/roster.xlsx", views.roster_export, name="roster_export"),
    path("<int:pk>/findings.xlsx", views.findings_export, name="findings_export"),
    path("sittings/<int:pk>/qr.svg", views.sitting_qr, name="sitting_qr"),
    # The expert pools (法律专家库 …) and the experts' invitations
    path("experts/", views.experts, name="experts"),
    path("experts/pools/", views.expert_pools, name="expert_pools"),
    path("experts/new/", views.expert_edit, name="expert_add"),
    path("experts/<int:pk>/", views.expert, name="expert"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/archive/", views.expert_archive, name="expert_archive"),
    path("experts/<int:pk>/contact/", views.expert_contact, name="expert_contact"),
    path("<int:pk>/invite-experts/", views.invite_experts, name="invite_experts"),
    path("expert-invitations/<int:pk>/answer/", views.expert_answer, name="expert_answer"),
    # Staff
    path("", views.manage, name="manage"),
    path("export.xlsx", views.manage_export, name="manage_export"),
    path("reports-to-voters/", views.report_coverage, name="report_coverage"),
    path("reports-to-voters/export.xlsx", views.report_coverage_export, name="report_coverage_export"),
]
