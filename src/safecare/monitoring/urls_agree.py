"""Routes of the internet monitoring pages: the young person's page, the agreement and its
reviews (IM-7 to IM-9), included by monitoring.urls."""

from django.urls import URLPattern, path

from . import views_agree as views

urlpatterns: list[URLPattern] = [
    path("children/<int:pk>/internet-monitoring/", views.child, name="child"),
    path("children/<int:pk>/internet-monitoring/agreement/", views.agreement_create, name="agreement_create"),
    path("internet-monitoring/agreements/<int:pk>/review/", views.review_create, name="review_create"),
]
