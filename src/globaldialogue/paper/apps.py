from django.apps import AppConfig


class PaperConfig(AppConfig):
    name = "globaldialogue.paper"
    verbose_name = "Paper forms"
