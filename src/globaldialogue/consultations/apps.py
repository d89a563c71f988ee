from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "globaldialogue.consultations"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from globaldialogue.audit.context import name_user_roles_with
        from globaldialogue.consultations.access import roles_in_words

        name_user_roles_with(roles_in_words)

        # Machine translations of offered texts, when a provider is set (lib/hooks.py).
        from globaldialogue.consultations import tasks, translation_actions

        translation_actions.text_translation_due.subscribe(tasks.request_text_translation)
