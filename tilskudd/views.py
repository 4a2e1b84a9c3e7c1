from django.shortcuts import render

from .selectors import open_rounds


def home(request):
    """The start page: who you act for, and what is open."""
    return render(request, "home.html", {"open_rounds": list(open_rounds())})
