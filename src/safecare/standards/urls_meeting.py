"""Routes of the standards of care meeting pages (included by standards.urls): arranging the
meeting with business support, its invitations and the service's documents (SOC-8), and the
minutes (SOC-9)."""

from django.urls import URLPattern, path

from . import views_meeting as views

urlpatterns: list[URLPattern] = [
    path("standards-of-care/meetings-to-arrange/", views.arrangement_list, name="arrangement_list"),
    path(
        "standards-of-care/proposals/<int:pk>/business-support/",
        views.arrangement_request,
        name="arrangement_request",
    ),
    path("standards-of-care/proposals/<int:pk>/arrange/", views.meeting_arrange, name="meeting_arrange"),
    path("standards-of-care/meetings/<int:pk>/invitees/new/", views.invitee_add, name="invitee_add"),
    path("standards-of-care/meetings/<int:pk>/invitees/usual/", views.invitees_usual, name="invitees_usual"),
    path("standards-of-care/meetings/<int:pk>/invitations/", views.invitations_send, name="invitations_send"),
    path("standards-of-care/meetings/<int:pk>/minutes/", views.minutes_record, name="minutes_record"),
    path("standards-of-care/invitees/<int:pk>/remove/", views.invitee_remove, name="invitee_remove"),
    path("standards-of-care/invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("standards-of-care/documents/", views.documents_list, name="documents_list"),
    path("standards-of-care/documents/<slug:kind>/upload/", views.document_upload, name="document_upload"),
    path("standards-of-care/documents/<slug:kind>/", views.document_download, name="document_download"),
]
