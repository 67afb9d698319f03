from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("households/", views.household_list, name="list"),
    path("households/new/", views.household_create, name="create"),
    # The household's record: the summary, then one page per section. Sections live under
    # sections/ because /households/<pk>/devices/, notices/ and so on are the policy apps' pages.
    path("households/<int:pk>/", views.household_detail, name="detail"),
    path("households/<int:pk>/sections/people/", views.section_people, name="section_people"),
    path("households/<int:pk>/sections/agreements/", views.section_agreements, name="section_agreements"),
    path("households/<int:pk>/sections/devices/", views.section_devices, name="section_devices"),
    path("households/<int:pk>/sections/notices/", views.section_notices, name="section_notices"),
    path("households/<int:pk>/sections/supervision/", views.section_supervision, name="section_supervision"),
    path("households/<int:pk>/sections/history/", views.section_history, name="section_history"),
    path("households/<int:pk>/edit/", views.household_edit, name="edit"),
    path("households/<int:pk>/status/", views.household_status, name="status"),
    path("households/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("households/<int:pk>/members/<int:member_pk>/edit/", views.member_edit, name="member_edit"),
    path("households/<int:pk>/visitors/new/", views.visitor_add, name="visitor_add"),
    path("households/<int:pk>/training/new/", views.training_add, name="training_add"),
    path("households/<int:pk>/guidance/", views.household_guidance, name="guidance"),
    # Read-only: there is deliberately no route to change or delete history.
    path("households/<int:pk>/history/", views.household_history, name="household_history"),
    path("search/", views.search, name="search"),
    path("children/", views.child_list, name="child_list"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/history/", views.child_history, name="child_history"),
    path("children/<int:pk>/placements/new/", views.placement_create, name="placement_create"),
    path(
        "children/<int:pk>/placements/households/",
        views.placement_households,
        name="placement_households",
    ),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
]
