from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "globaldialogue.deliberation"
    verbose_name = "Deliberation"

    def ready(self) -> None:
        # The background work that actions ask for through their hooks (lib/hooks.py).
        from globaldialogue.deliberation import actions, tasks, translation_actions

        actions.map_due.subscribe(tasks.request_map)
        translation_actions.translation_due.subscribe(tasks.request_translation)
