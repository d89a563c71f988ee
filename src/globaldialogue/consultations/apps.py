from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "globaldialogue.consultations"
    verbose_name = "Consultations"
