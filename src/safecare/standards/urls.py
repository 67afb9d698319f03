from django.urls import path

from . import urls_meeting, urls_panel, urls_report, urls_visit, views

app_name = "standards"
urlpatterns = [
    path("households/<int:pk>/standards-of-care/", views.household_list, name="household_list"),
    path("households/<int:pk>/standards-of-care/new/", views.concern_create, name="concern_create"),
    path("households/<int:pk>/standards-of-care/visits/", views.household_visits, name="household_visits"),
    path("standards-of-care/concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("standards-of-care/concerns/<int:pk>/route/", views.route_decide, name="route_decide"),
    path("standards-of-care/concerns/<int:pk>/outcome/", views.outcome_record, name="outcome_record"),
    path("standards-of-care/concerns/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("standards-of-care/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("standards-of-care/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("standards-of-care/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("standards-of-care/proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("standards-of-care/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
]
# Each part of the procedure keeps its own routes: the visit's signatures and record (SOC-4),
# arranging and inviting (SOC-8), the report (SOC-7, SOC-12), the outcome and the panel (SOC-10).
urlpatterns += (
    urls_visit.urlpatterns + urls_meeting.urlpatterns + urls_report.urlpatterns + urls_panel.urlpatterns
)
