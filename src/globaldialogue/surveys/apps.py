from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "globaldialogue.surveys"
    verbose_name = "Surveys"
