from django.urls import path

from . import views

app_name = "liaison_stations"
urlpatterns = [
    # Public pages: no login
    path("", views.public_directory, name="directory"),
    path("s/<str:slug>/", views.public_station, name="public_station"),
    path("s/<str:slug>/opinion/", views.public_opinion, name="public_opinion"),
    path("d/<str:token>/", views.deputy_page, name="deputy_page"),
    path("thanks/", views.thanks, name="thanks"),
    path("track/", views.track, name="track"),
    path("qr/<str:kind>/<str:token>.svg", views.qr_svg, name="qr"),
    # Deputies
    path("mine/", views.mine, name="mine"),
    path("check-in/", views.check_in, name="check_in_portal"),
    path("attendance/<int:pk>/", views.answer_attendance, name="answer_attendance"),
    path("s/<str:slug>/check-in/", views.check_in, name="check_in"),
    # Managers and staff
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/", views.desk, name="desk"),
    path("manage/<int:pk>/deputies/", views.station_deputies, name="station_deputies"),
    path("manage/<int:pk>/ledger/", views.station_ledger, name="station_ledger"),
    path("manage/<int:pk>/qr/", views.print_qr, name="print_qr"),
    path("manage/<int:pk>/opinion/", views.record_opinion, name="record_opinion"),
    path("manage/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("stationings/<int:pk>/end/", views.end_stationing, name="end_stationing"),
    path("receptions/<int:pk>/", views.reception, name="reception"),
    path("receptions/<int:pk>/present/", views.mark_present, name="mark_present"),
    path("opinions/<int:pk>/", views.opinion, name="opinion"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("referrals/", views.referrals, name="referrals"),
    path("network/", views.network, name="network"),
    path("coverage/", views.coverage, name="coverage"),
    path("quota/", views.quota, name="quota"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
]
