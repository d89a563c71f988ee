from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "globaldialogue.dialogues"
    verbose_name = "Video dialogues"
