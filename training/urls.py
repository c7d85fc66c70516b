from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    # Deputies
    path("courses/", views.courses, name="courses"),
    path("courses/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("mine/", views.mine, name="mine"),
    path("enrolments/<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("check-in/", views.check_in, name="check_in"),
    path("c/<str:code>/", views.check_in_link, name="check_in_link"),
    # One course, for everyone who may see it; its desk for staff
    path("courses/<int:pk>/", views.course, name="course"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("courses/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("courses/<int:pk>/nominate/filter/", views.nominate_by_filter, name="nominate_filter"),
    path("courses/<int:pk>/do/<slug:action>/", views.course_action, name="course_action"),
    path("sittings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sittings/<int:pk>/qr.svg", views.sitting_qr, name="sitting_qr"),
    # Staff
    path("", views.manage, name="manage"),
    path("plans/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("plans/<int:pk>/coverage.xlsx", views.coverage_export, name="coverage_export"),
]
