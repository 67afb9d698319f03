from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("households/<int:pk>/notices/", views.household_notices, name="household_notices"),
    path("households/<int:pk>/notices/change/", views.change_create, name="change_create"),
    path("households/<int:pk>/notices/immediate/", views.immediate_create, name="immediate_create"),
    path("households/<int:pk>/care-arrangements/new/", views.arrangement_create, name="arrangement_create"),
    path("notices/changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("notices/changes/<int:pk>/review/", views.change_review, name="change_review"),
    path("notices/immediate/<int:pk>/", views.immediate_detail, name="immediate_detail"),
    path("notices/immediate/<int:pk>/respond/", views.immediate_acknowledge, name="immediate_acknowledge"),
    path("care-arrangements/breaches/", views.breaches, name="breaches"),
    path("care-arrangements/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("care-arrangements/<int:pk>/decide/", views.arrangement_decide, name="arrangement_decide"),
    path("children/<int:pk>/risk/", views.risk_flag, name="risk_flag"),
    path(
        "children/<int:pk>/risk/assessments/new/", views.risk_assessment_create, name="risk_assessment_create"
    ),
]
