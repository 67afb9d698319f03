from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.users, name="users"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/", views.user_edit, name="user_edit"),
    path("<int:pk>/reset-two-factor/", views.user_reset_two_factor, name="user_reset_two_factor"),
    path("<int:pk>/send-password-link/", views.user_send_password_link, name="user_send_password_link"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("<int:pk>/confirm-role/", views.user_confirm_role, name="user_confirm_role"),
    path("<int:pk>/refuse-role/", views.user_refuse_role, name="user_refuse_role"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("allocations/", views.allocations, name="allocations"),
    path("allocations/suggest/", views.allocation_suggest, name="allocation_suggest"),
    path("allocations/<int:pk>/end/", views.allocation_end, name="allocation_end"),
]
