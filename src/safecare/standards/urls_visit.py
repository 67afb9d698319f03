"""Routes of the standards of care visit pages (included by standards.urls).

SOC-4 the visit record signed, shared and printed; SOC-5 a meeting on the fostering
manager's own grounds; SOC-6 the support referral; SOC-11 the resignation.
"""

from django.urls import URLPattern, path

from . import views_visit

urlpatterns: list[URLPattern] = [
    path("standards-of-care/visits/<int:pk>/sign/", views_visit.visit_sign, name="visit_sign"),
    path("standards-of-care/visits/<int:pk>/pdf/", views_visit.visit_pdf, name="visit_pdf"),
    path(
        "households/<int:pk>/standards-of-care/propose/", views_visit.propose_meeting, name="propose_meeting"
    ),
    path("households/<int:pk>/standards-of-care/support/", views_visit.support_list, name="support_list"),
    path(
        "standards-of-care/proposals/<int:pk>/support-referral/",
        views_visit.support_create,
        name="support_create",
    ),
    path(
        "households/<int:pk>/standards-of-care/resignation/",
        views_visit.resignation_create,
        name="resignation_create",
    ),
    path(
        "standards-of-care/resignations/<int:pk>/", views_visit.resignation_detail, name="resignation_detail"
    ),
]
