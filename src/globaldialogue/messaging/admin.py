"""Text channels in the back office: connect a number to a survey (gateway, number,
languages, reminder, expiry, WhatsApp's window and template), see the addresses to give the
provider, and the channel's figures: messages by status, chats by where they stand, how many
were asked each step, and where people stopped or went silent. Secrets are written, never
shown again."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from globaldialogue.consultations.admin_roles import RoleAdmin
from globaldialogue.consultations.permissions import Phase
from globaldialogue.messaging import access, actions, rapidpro_actions
from globaldialogue.messaging.models import Channel, Provider, RapidProFlow
from globaldialogue.surveys.access import open_surveys_for


class _ConnectionForm(forms.ModelForm):
    """A connection's form: its secrets written, never shown (left empty on a change, they
    stay), what names it fixed once made, and the action's own check before saving."""

    secrets: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.secrets:
            if name in self.fields:
                self.fields[name].required = False
        for name in self.fixed if self.instance.pk else ():
            if name in self.fields:
                self.fields[name].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.secrets:
            if name in self.fields and not data.get(name) and self.instance.pk:
                data[name] = getattr(type(self.instance).objects.get(pk=self.instance.pk), name)
        if all(data.get(name) for name in self.fixed):
            fields = {k: v for k, v in data.items() if k != "id"}
            if problem := self.problem(type(self.instance)(pk=self.instance.pk, **fields)):
                raise forms.ValidationError(problem)
        return data

    def problem(self, trial: Any) -> str:
        raise NotImplementedError


def _url_field(model: Any) -> forms.URLField:
    help_text = model._meta.get_field("api_url").help_text
    return forms.URLField(assume_scheme="https", required=False, help_text=help_text)


class ChannelForm(_ConnectionForm):
    secrets = ("secret", "signing_secret")
    fixed = ("survey", "provider", "number")
    api_url = _url_field(Channel)

    class Meta:
        model = Channel
        fields = ["survey", "provider", "number", *actions.SETTINGS]
        widgets = {
            name: forms.PasswordInput(render_value=False) for name in ("secret", "signing_secret")
        }
        help_texts = {
            "languages": 'A list of language codes, e.g. ["en", "fr"]; [] for all of the survey\'s.'
        }

    def clean(self) -> dict[str, Any]:
        if not isinstance(self.cleaned_data.get("languages", []), list):
            raise forms.ValidationError({"languages": 'Give a list, e.g. ["en", "fr"].'})
        return super().clean()

    def problem(self, trial: Any) -> str:
        return actions.channel_problem(trial)


class _SurveyPartAdmin(RoleAdmin):
    """The admin of something connected to a survey, in the survey's phase."""

    consultation_path = "survey__consultation"

    def phase_of(self, obj: Any) -> Phase:
        return Phase(obj.survey.phase)

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "survey":
            action = f"{self.subject}.change"
            kwargs["queryset"] = open_surveys_for(request.user, action, drafts=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Channel)
class ChannelAdmin(_SurveyPartAdmin):
    subject = "channel"
    form = ChannelForm
    list_display = ["number", "provider", "survey", "is_active", "created_at"]
    list_filter = ["provider", "is_active", "survey"]
    search_fields = ["number", "survey__slug"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        settings = [n for n in actions.SETTINGS if n != "is_active"]
        main: list[tuple[str | None, dict[str, Any]]] = [
            (None, {"fields": ["survey", "provider", "number", "is_active"]}),
            ("Gateway and chats", {"fields": settings}),
        ]
        if obj is None:
            return main
        shown = [
            ("Addresses for the provider", {"fields": ["addresses"]}),
            ("Figures", {"fields": ["figures"]}),
        ]
        if not self.has_change_permission(request, obj):  # read only: no secrets, even empty
            return [(None, {"fields": ["survey", "provider", "number", "is_active"]}), *shown]
        return [*main, *shown]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["addresses", "figures"] if obj else []

    def save_model(self, request: HttpRequest, obj: Channel, form: Any, change: bool) -> None:
        settings = {name: form.cleaned_data[name] for name in actions.SETTINGS}
        if change:
            actions.update_channel(channel=obj, **settings)
            return
        made = actions.add_channel(
            survey=obj.survey, provider=obj.provider, number=obj.number, **settings
        )
        obj.pk, obj.uuid, obj.number = made.pk, made.uuid, made.number

    @admin.display(description="Webhooks")
    def addresses(self, channel: Channel) -> str:
        rows = [("Messages", access.webhook_url(channel))]
        if channel.provider in (Provider.TWILIO, Provider.AFRICASTALKING):
            rows.append(("Delivery statuses", access.webhook_url(channel, "status")))
        elif channel.provider == Provider.EXTERNAL:
            rows += [
                (kind.title(), access.webhook_url(channel, kind))
                for kind in ("sent", "delivered", "failed", "stopped")
            ]
        else:
            rows.append(("Verify token", str(channel.uuid)))
        return format_html(
            "<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd><code>{}</code></dd>", rows)
        )

    @admin.display(description="Figures")
    def figures(self, channel: Channel) -> str:
        found = access.channel_figures(channel)
        started = sum(found.chats.values()) or 1
        asked = [(_step_name(step), n, f"{n / started:.0%}") for step, n in found.asked]
        dropped = [(_step_name(step), n) for step, n in found.dropped]
        return format_html(
            "<p>Messages: {}</p><p>Chats: {}</p>"
            "<table><caption>Chats asked each step</caption>"
            "<tr><th scope='col'>Step</th><th scope='col'>Chats</th>"
            "<th scope='col'>Of all chats</th></tr>{}</table>"
            "<table><caption>Where chats stopped or went silent</caption>"
            "<tr><th scope='col'>Question</th><th scope='col'>Chats</th></tr>{}</table>",
            ", ".join(f"{n} {status}" for status, n in found.messages.items()),
            ", ".join(f"{n} {step}" for step, n in sorted(found.chats.items())) or "none yet",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", asked),
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", dropped),
        )


def _step_name(step: str) -> str:
    named = {
        "": "Before the first question",
        "language": "Language",
        "consent": "Consent",
        "done": "Finished",
    }
    return named.get(step, step)


class FlowForm(_ConnectionForm):
    secrets = ("api_token",)
    fixed = ("survey", "flow_uuid")
    api_url = _url_field(RapidProFlow)

    class Meta:
        model = RapidProFlow
        fields = ["survey", "flow_uuid", *rapidpro_actions.FLOW_SETTINGS]
        widgets = {"api_token": forms.PasswordInput(render_value=False)}

    def problem(self, trial: Any) -> str:
        return rapidpro_actions.flow_problem(trial)


@admin.register(RapidProFlow)
class RapidProFlowAdmin(_SurveyPartAdmin):
    subject = "rapidproflow"
    form = FlowForm
    list_display = ["__str__", "survey", "language", "polled_at", "poll_error", "is_active"]
    list_filter = ["is_active", "survey"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        settings = list(rapidpro_actions.FLOW_SETTINGS)
        if not self.has_change_permission(request, obj):
            settings = [n for n in settings if n != "api_token"]
        main = [(None, {"fields": ["survey", "flow_uuid", *settings]})]
        if obj is None:
            return main
        return [*main, ("Runs", {"fields": ["webhook", "polling", "outcomes"]})]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["webhook", "polling", "outcomes"] if obj else []

    def save_model(self, request: HttpRequest, obj: RapidProFlow, form: Any, change: bool) -> None:
        settings = {name: form.cleaned_data[name] for name in rapidpro_actions.FLOW_SETTINGS}
        if change:
            rapidpro_actions.update_flow(flow=obj, **settings)
            return
        made = rapidpro_actions.connect_flow(survey=obj.survey, flow_uuid=obj.flow_uuid, **settings)
        obj.pk = made.pk

    @admin.display(description="The flow's webhook")
    def webhook(self, flow: RapidProFlow) -> str:
        return format_html(
            "POST <code>{}</code> with RapidPro's default body and the header "
            "<code>Authorization: Bearer</code> and a partner key with the responses scope.",
            access.rapidpro_webhook_url(flow.survey),
        )

    @admin.display(description="Polling")
    def polling(self, flow: RapidProFlow) -> str:
        if not flow.api_url:
            return "Not polled: give RapidPro's address and an API token."
        when = flow.polled_at.isoformat(timespec="seconds") if flow.polled_at else "not yet"
        since = flow.cursor or "the start"
        return f"Last poll: {when}; runs modified since {since}. {flow.poll_error}"

    @admin.display(description="Runs taken in")
    def outcomes(self, flow: RapidProFlow) -> str:
        rows = access.run_outcomes(flow)
        return format_html(
            "<table><tr><th scope='col'>How</th><th scope='col'>Outcome</th>"
            "<th scope='col'>Runs</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
