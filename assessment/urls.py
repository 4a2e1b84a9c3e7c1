from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.decisions, name="decisions"),
    path("<int:application_id>/", views.decision, name="decision"),
    path("<int:application_id>/aksepter/", views.accept, name="accept"),
    path("brev/<int:letter_id>/", views.letter, name="letter"),
]
