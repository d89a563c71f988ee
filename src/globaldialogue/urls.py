from django.contrib import admin
from django.urls import include, path

from globaldialogue.accounts import twofactor
from globaldialogue.api import api
from globaldialogue.deliberation import views as deliberation_views
from globaldialogue.dialogues import views as dialogue_views
from globaldialogue.messaging import views as messaging_views
from globaldialogue.operations import views as operations_views
from globaldialogue.results import views as results_views
from globaldialogue.results import withdraw
from globaldialogue.surveys import openrosa
from globaldialogue.surveys import views as survey_views
from globaldialogue.web import views as web_views

survey_patterns = (
    [
        path("", survey_views.survey_page, name="survey"),
        path("thanks/", survey_views.thanks_page, name="thanks"),
        path("saved", survey_views.saved_page, name="saved"),
        path("sw.js", survey_views.service_worker, name="worker"),
        path("manifest.webmanifest", survey_views.manifest, name="manifest"),
        path("withdraw/", withdraw.withdraw_page, name="withdraw"),
    ],
    "surveys",
)
conversation_patterns = (
    [
        path("", deliberation_views.conversation_page, name="conversation"),
        path("vote", deliberation_views.vote, name="vote"),
        path("statements", deliberation_views.add_statement, name="add_statement"),
        path("forget", deliberation_views.forget, name="forget"),
        path("report", deliberation_views.report_page, name="report"),
    ],
    "deliberation",
)
dialogue_patterns = (
    [
        path("", dialogue_views.event_list, name="list"),
        path("livekit-webhook", dialogue_views.livekit_webhook, name="livekit_webhook"),
        path("janus/events", dialogue_views.janus_events, name="janus_events"),
        path("<slug:slug>/", dialogue_views.event_page, name="event"),
        path("<slug:slug>/results", dialogue_views.results_page, name="results"),
        path("<slug:slug>/you/<str:token>/", dialogue_views.personal_page, name="personal"),
        path("<slug:slug>/you/<str:token>/event.ics", dialogue_views.calendar_file, name="ics"),
        path("<slug:slug>/you/<str:token>/lobby/", dialogue_views.lobby_page, name="lobby"),
        path("<slug:slug>/you/<str:token>/room/", dialogue_views.room_page, name="room"),
        path("<slug:slug>/you/<str:token>/check/", dialogue_views.check_page, name="check"),
        path("<slug:slug>/you/<str:token>/report", dialogue_views.report_page, name="report"),
        path("<slug:slug>/you/<str:token>/confirm", dialogue_views.confirm_page, name="confirm"),
    ],
    "dialogues",
)
openrosa_patterns = (
    [
        path("formList", openrosa.form_list, name="form_list"),
        path("forms/<slug:slug>.xml", openrosa.form_download, name="form"),
        path("submission", openrosa.submission, name="submission"),
    ],
    "openrosa",
)
results_patterns = ([path("", results_views.survey_results_page, name="survey")], "results")

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", operations_views.healthz, name="healthz"),
    path("readyz", operations_views.readyz, name="readyz"),
    path("metrics", operations_views.metrics, name="metrics"),
    path("s/<slug:slug>/", include(survey_patterns)),
    path(
        "messaging/<str:channel_id>/<slug:kind>", messaging_views.webhook, name="messaging_webhook"
    ),
    path("openrosa/<slug:consultation>/", include(openrosa_patterns)),
    path("s/<slug:slug>/results", include(results_patterns)),
    path(
        "s/<slug:slug>/open-data.<str:kind>",
        results_views.open_data_download,
        name="open_data",
    ),
    path("r/<slug:slug>/", results_views.dashboard_page, name="dashboard"),
    path("r/<slug:slug>/report.pdf", results_views.report_download, name="report_pdf"),
    path("c/<slug:slug>/", include(conversation_patterns)),
    path("d/", include(dialogue_patterns)),
    path("admin/two-factor/", twofactor.set_up, name="two_factor"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
