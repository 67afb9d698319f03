from django.urls import path

from . import views_tasks

app_name = "tasks"
urlpatterns = [
    path("", views_tasks.my_tasks, name="mine"),
    path("team/", views_tasks.team_tasks, name="team"),
    path("service/", views_tasks.service_tasks, name="service"),
    path("<int:pk>/", views_tasks.task_detail, name="detail"),
    path("<int:pk>/done/", views_tasks.task_done, name="done"),
]
