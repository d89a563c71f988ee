from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site shell: base template and CSS, home page, and the commands that
    run the whole site (`serve`, `worker`, `demo`). It owns no models."""

    name = "globaldialogue.web"
    verbose_name = "Site"
