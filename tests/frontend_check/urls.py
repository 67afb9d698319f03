import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path


class Service:
    name = "Northshire County Council Fostering Service"


class FakeUser:
    is_authenticated = True
    username = "jsmith"
    service = Service()

    def get_full_name(self):
        return "Jacqueline Smithson-Fairweather"


class NavItem:
    def __init__(self, label, url, active=False):
        self.label, self.url, self.active = label, url, active


class VisitForm(forms.Form):
    name = forms.CharField(label="Carer's full name", help_text="As it appears on the approval.")
    visit_type = forms.ChoiceField(
        label="Type of visit",
        choices=[("announced", "Announced"), ("unannounced", "Unannounced")],
        widget=forms.RadioSelect,
        help_text="Unannounced visits must happen at least once a year.",
    )
    child_seen = forms.BooleanField(label="The child was seen alone", help_text="Tick if yes.")
    visit_date = forms.DateField(label="Date of visit", help_text="For example, 24/03/2027")
    email = forms.EmailField(label="Email address", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 4}))
    team = forms.ChoiceField(label="Team", choices=[("", "Choose a team"), ("a", "Team A")])
    concerns = forms.MultipleChoiceField(
        label="Concerns raised",
        choices=[("health", "Health"), ("education", "Education")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ref = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("The visit could not be saved. Check the answers below.")


def demo(request):
    request.user = FakeUser()
    if request.GET.get("errors"):
        form = VisitForm(data={"visit_date": "31/02/2027", "email": "nope", "concerns": ["health"]})
        form.is_valid()
    else:
        form = VisitForm()
    messages.success(request, "Visit recorded for the Smith household.")
    messages.info(request, "The service will be closed on Fri 25 Dec 2026.")
    page_obj = Paginator(list(range(200)), 10).get_page(request.GET.get("page", 7))
    return render(
        request,
        "demo.html",
        {
            "form": form,
            "today": datetime.date(2027, 3, 24),
            "nav_items": [
                NavItem("Home", "/"),
                NavItem("My tasks", "/tasks/", active=True),
                NavItem("Households", "/households/"),
                NavItem("Children", "/children/"),
                NavItem("People and teams", "/people/"),
            ],
            "rows": [("Name", "Smith household"), ("Approved", "Wed 24 Mar 2027"), ("Phone", None)],
            "page_obj": page_obj,
            "querystring": "status=open&sort=due",
        },
    )


def anon(request):
    return render(request, "demo_anon.html", {})


urlpatterns = [
    path("", demo),
    path("anon/", anon),
    path("logout/", lambda r: HttpResponse(""), name="logout"),
]
