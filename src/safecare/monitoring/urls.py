"""Routes of the internet monitoring pages (IM-1 to IM-9): the worry to the decision and the
discussion (urls_assess), the agreement, its end and its reviews (urls_agree)."""

from django.urls import URLPattern

from . import urls_agree, urls_assess

app_name = "monitoring"
urlpatterns: list[URLPattern] = [*urls_assess.urlpatterns, *urls_agree.urlpatterns]
