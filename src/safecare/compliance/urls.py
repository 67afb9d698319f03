from django.urls import path

from . import views_checks, views_pack, views_report

app_name = "compliance"

urlpatterns = [
    path("", views_report.report, name="report"),
    path("duties/", views_report.duties, name="duties"),
    path("figures.csv", views_report.figures_csv, name="figures_csv"),
    path("checks/", views_checks.index, name="checks"),
    path("checks/<slug:check>/", views_checks.check, name="check"),
    path("packs/", views_pack.packs, name="packs"),
    path("packs/<int:pk>/", views_pack.pack, name="pack"),
    path("packs/<int:pk>/download/", views_pack.download, name="pack_download"),
]
