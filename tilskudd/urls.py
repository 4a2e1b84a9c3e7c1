from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import language_views, password_views, session_views, views
from .documents import polling
from .idporten import views as idporten_views

urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("logg-ut/", idporten_views.LogoutView.as_view(), name="logout"),
    path(
        "passord/",
        password_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "passord/endret/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("soknader/", include("applications.urls")),
    path("tildeling/", include("assessment.urls")),
    path("apne-data/", include("assessment.opendata.urls")),
    path("rapporter/", include("reporting.urls")),
    path("nasjonalt/", include("assessment.national.urls")),
    path("idporten/", include("tilskudd.idporten.urls")),
    path("tilgang/", include("tilskudd.access_urls")),
    path("admin/", admin.site.urls),
    path("sprak/", language_views.choose_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("okt/forleng/", session_views.keep_alive, name="session_keep_alive"),
    path("okt/nokkel/", session_views.session_token, name="session_token"),
    path("dokumenter/<str:token>/status/", polling.document_status, name="document_status"),
]
