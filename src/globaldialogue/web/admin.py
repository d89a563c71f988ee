"""The back office as organizers see it: named for what it is, without the machinery."""

import django_tasks_db.admin  # noqa: F401  registers the queue now (web's admin runs first)
from django.contrib import admin
from django_tasks_db.models import DBTaskResult

admin.site.site_header = "Global Dialogue: back office"
admin.site.site_title = "Global Dialogue"
admin.site.index_title = "Consultations, surveys, conversations and dialogues"

# The task queue is the workers' business; analyses show their own progress (results).
admin.site.unregister(DBTaskResult)
