from django.apps import AppConfig


class TilskuddConfig(AppConfig):
    name = "tilskudd"
    verbose_name = "Felles: kontorer, kommuner, ordninger og runder"
