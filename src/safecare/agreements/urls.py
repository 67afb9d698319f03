from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("households/<int:pk>/agreement/", views.household_agreement, name="household"),
    path("households/<int:pk>/agreement/edit/", views.household_edit, name="household_edit"),
    path("placements/<int:pk>/agreement/", views.child_agreement, name="child"),
    path("placements/<int:pk>/agreement/edit/", views.child_edit, name="child_edit"),
    # Versions are never changed: there is deliberately no route to edit or delete one.
    path("agreements/versions/<int:pk>/", views.version_detail, name="version"),
    path("agreements/versions/<int:pk>/sign/", views.version_sign, name="sign"),
    path("agreements/versions/<int:pk>/pdf/", views.version_pdf, name="pdf"),
]
