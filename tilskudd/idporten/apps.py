from django.apps import AppConfig


class IdportenConfig(AppConfig):
    name = "tilskudd.idporten"
    label = "idporten"
    verbose_name = "ID-porten"
    default_auto_field = "django.db.models.BigAutoField"
