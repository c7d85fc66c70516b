from django.urls import path

from .views import detail, drafting, office, public, supervision

app_name = "suggestions"

urlpatterns = [
    # Deputies
    path("mine/", drafting.mine, name="mine"),
    path("new/", drafting.new, name="new"),
    path("autosave/", drafting.autosave, name="autosave"),
    path("cosigners/", drafting.cosigner_search, name="cosigner_search"),
    path("<int:pk>/edit/", drafting.edit, name="edit"),
    path("cosign/<int:pk>/", drafting.cosign, name="cosign"),
    # One suggestion, for everyone who may see it, and the actions on it
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", detail.act, name="act"),
    path("assignments/<int:pk>/do/<slug:action>/", detail.act_on_assignment, name="act_on_assignment"),
    path("assignments/<int:pk>/reply-letter/", detail.reply_letter_draft, name="reply_letter_draft"),
    path("assignments/<int:pk>/deputy-phone/", detail.reveal_deputy_phone, name="reveal_deputy_phone"),
    path("attachments/<int:pk>/", detail.attachment, name="attachment"),
    path("attachments/<int:pk>/remove/", drafting.remove_attachment, name="remove_attachment"),
    path("replies/<int:pk>/letter/", detail.letter, name="letter"),
    # Staff
    path("review/", office.review, name="review"),
    path("review/assign/", office.bulk_assign, name="bulk_assign"),
    path("review/units/", office.unit_search, name="unit_search"),
    path("review/letters/", office.assignment_letters, name="assignment_letters"),
    path("review/documents/", office.session_documents, name="session_documents"),
    path("statistics/", office.statistics, name="statistics"),
    path("statistics.xlsx", office.statistics_export, name="statistics_export"),
    # Handling units
    path("unit/", office.unit, name="unit"),
    # Key supervision
    path("supervision/", supervision.supervision, name="supervision"),
    path("supervision/new/", supervision.supervision_new, name="supervision_new"),
    path("supervision/<int:pk>/", supervision.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/notice/", supervision.supervision_notice, name="supervision_notice"),
    path("supervision/reminders/", supervision.reminder_letters, name="reminder_letters"),
    # Public pages: no login
    path("public/", public.public, name="public"),
    path("public/<int:pk>/", public.public_detail, name="public_detail"),
]
