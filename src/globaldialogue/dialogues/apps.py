from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "globaldialogue.dialogues"
    verbose_name = "Video dialogues"

    def ready(self) -> None:
        # What follows the actions' writes once committed (lib/hooks.py): background work,
        # and a filed report sent to everyone in the room.
        from globaldialogue.dialogues import actions, room, room_actions, tasks

        actions.registered.subscribe(tasks.welcome)
        actions.email_confirmed.subscribe(tasks.schedule_reminder)
        actions.groups_changed.subscribe(tasks.create_media_rooms.enqueue)
        room_actions.member_removed.subscribe(tasks.remove_media_participant.enqueue)
        room_actions.report_filed.subscribe(room.publish_report)
