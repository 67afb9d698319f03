"""Routes of the internet monitoring pages from the worry to the discussion (IM-1 to IM-6), and
where a young person lives (included by monitoring.urls)."""

from django.urls import URLPattern, path

from . import views_assess as views

urlpatterns: list[URLPattern] = [
    path("internet-monitoring/worries/new/", views.worry_create, name="worry_create"),
    path("internet-monitoring/worries/<int:pk>/", views.worry_detail, name="worry_detail"),
    path("internet-monitoring/worries/<int:pk>/assess/", views.assessment_create, name="assessment_create"),
    path("internet-monitoring/assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(
        "internet-monitoring/assessments/<int:pk>/strategy-discussion/",
        views.strategy_create,
        name="strategy_create",
    ),
    path("internet-monitoring/assessments/<int:pk>/panel-referral/", views.panel_create, name="panel_create"),
    path("internet-monitoring/panel-referrals/<int:pk>/outcome/", views.panel_outcome, name="panel_outcome"),
    path(
        "internet-monitoring/assessments/<int:pk>/evaluation/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path("internet-monitoring/assessments/<int:pk>/decision/", views.decision_create, name="decision_create"),
    path(
        "internet-monitoring/decisions/<int:pk>/discussion/",
        views.discussion_create,
        name="discussion_create",
    ),
    path("internet-monitoring/discussions/<int:pk>/advocate/", views.advocate_create, name="advocate_create"),
    path("children/<int:pk>/internet-monitoring/residence/", views.residence_create, name="residence_create"),
    path("internet-monitoring/residences/<int:pk>/end/", views.residence_end, name="residence_end"),
]
