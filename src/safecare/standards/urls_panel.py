"""Routes of the standards of care panel pages (included by standards.urls): SOC-10."""

from django.urls import URLPattern, path

from . import views_panel

urlpatterns: list[URLPattern] = [
    path("standards-of-care/meetings/<int:pk>/outcome/", views_panel.outcome_record, name="meeting_outcome"),
    path("standards-of-care/panel/", views_panel.panel_list, name="panel_list"),
    path("standards-of-care/panel/<int:pk>/", views_panel.panel_referral, name="panel_referral"),
    path("standards-of-care/panel/<int:pk>/recommend/", views_panel.panel_recommend, name="panel_recommend"),
    path("standards-of-care/panel/<int:pk>/decide/", views_panel.adm_decide, name="adm_decide"),
    path("standards-of-care/panel/<int:pk>/review/", views_panel.review_request, name="review_request"),
    path("standards-of-care/decisions/", views_panel.adm_list, name="adm_list"),
]
