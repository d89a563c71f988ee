from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "globaldialogue.results"
    verbose_name = "Results"

    def ready(self) -> None:
        # What results does when other modules' hooks fire (lib/hooks.py): new responses are
        # counted, queued analyses run.
        from globaldialogue.results import actions, tasks
        from globaldialogue.surveys.actions import responses_stored, survey_changed

        responses_stored.subscribe(tasks.request_tally)
        survey_changed.subscribe(tasks.request_refresh)
        actions.response_withdrawn.subscribe(tasks.request_refresh)
        actions.analysis_queued.subscribe(tasks.analysis_task.enqueue)
