from django.urls import path

from . import views

app_name = "idporten"

urlpatterns = [
    path("logg-inn/", views.IdportenLoginView.as_view(), name="login"),
    path("callback/", views.IdportenCallbackView.as_view(), name="callback"),
    path("logout/", views.front_channel_logout, name="front_channel_logout"),
    path("om-deg/", views.details, name="details"),
    path("om-deg/sendt/", views.details_sent, name="details_sent"),
    path("bekreft-e-post/<str:token>/", views.verify_email, name="verify_email"),
]
