from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "globaldialogue.consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from globaldialogue.audit.context import name_user_roles_with
        from globaldialogue.consultations.access import roles_in_words

        name_user_roles_with(roles_in_words)
