from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "globaldialogue.results"
    verbose_name = "Results"
