from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "globaldialogue.deliberation"
    verbose_name = "Deliberation"
