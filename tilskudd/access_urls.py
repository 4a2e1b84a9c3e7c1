from django.urls import path

from . import access_views as views

app_name = "access"

urlpatterns = [
    path("invitasjon/<str:token>/", views.accept, name="accept"),
    path("<int:organisation_id>/", views.organisation_page, name="organisation"),
    path("<int:organisation_id>/inviter/", views.invite, name="invite"),
    path("<int:organisation_id>/tilgang/<int:pk>/rolle/", views.change_role, name="change_role"),
    path("<int:organisation_id>/tilgang/<int:pk>/fjern/", views.remove, name="remove"),
    path("<int:organisation_id>/invitasjon/<int:pk>/trekk/", views.revoke, name="revoke"),
]
