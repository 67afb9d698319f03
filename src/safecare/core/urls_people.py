from django.urls import path

from . import views_people

app_name = "people"
urlpatterns = [
    path("", views_people.users, name="users"),
    path("new/", views_people.user_create, name="user_create"),
    path("<int:pk>/", views_people.user_edit, name="user_edit"),
    path("<int:pk>/reset-two-factor/", views_people.user_reset_two_factor, name="user_reset_two_factor"),
    path(
        "<int:pk>/send-password-link/", views_people.user_send_password_link, name="user_send_password_link"
    ),
    path("teams/", views_people.teams, name="teams"),
    path("teams/<int:pk>/", views_people.team_edit, name="team_edit"),
    path("allocations/", views_people.allocations, name="allocations"),
    path("allocations/<int:pk>/end/", views_people.allocation_end, name="allocation_end"),
]
