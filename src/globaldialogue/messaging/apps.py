from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "globaldialogue.messaging"
    verbose_name = "Text messages"

    def ready(self) -> None:
        from globaldialogue.messaging import actions, rapidpro_actions, tasks

        actions.messages_queued.subscribe(tasks.send_queued)
        actions.chat_waiting.subscribe(tasks.plan_follow_up)
        rapidpro_actions.flow_saved.subscribe(tasks.plan_polls)
