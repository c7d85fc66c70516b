from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("public/", views.public_roster, name="public_roster"),
    path("directory/", views.directory, name="directory"),
    path("new/", views.new_deputy, name="new"),
    path("export.xlsx", views.export, name="export"),
    path("imports/", views.imports, name="imports"),
    path("imports/template.xlsx", views.template, name="template"),
    path("imports/<int:pk>/", views.import_job, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("mandates/<int:pk>/status/", views.mandate_action, name="mandate_action"),
    path("mandates/<int:pk>/duty-record/", views.duty_record, name="duty_record"),
    path("people/<int:pk>/photo/", views.photo, name="photo"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/mine/", views.my_contacts, name="my_contacts"),
    path("points/", views.points, name="points"),
    path("my-record/", views.my_record, name="my_record"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_edit, name="group_new"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/add/", views.group_add, name="group_add"),
    path("group-members/<int:pk>/role/", views.group_role, name="group_role"),
    path("group-members/<int:pk>/remove/", views.group_remove, name="group_remove"),
]
