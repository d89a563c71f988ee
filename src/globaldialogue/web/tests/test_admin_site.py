"""The back office speaks the organizers' words, keeps the machinery out of sight, and
stands against password guessing."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client


def test_the_back_office_says_what_it_is_and_hides_the_task_queue(olga_client):
    page = olga_client.get("/admin/").content.decode()
    assert "Global Dialogue: back office" in page and "Django administration" not in page
    assert "/admin/django_tasks_database/" not in page
    assert olga_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 404


def test_password_guessing_is_throttled_per_user_name(olga, settings):
    settings.RATE_LOGIN_PER_USER = (3, 300)
    client = Client()
    for _ in range(3):
        reply = client.post("/admin/login/", {"username": "olga", "password": "guess"})
        assert reply.status_code == 200  # the form again, with its error
    refused = client.post("/admin/login/", {"username": "OLGA", "password": "guess"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    other = client.post("/admin/login/", {"username": "pierre", "password": "guess"})
    assert other.status_code == 200  # another name is not blocked by Olga's


def test_weak_passwords_are_refused():
    for weak in ("password", "12345678", "olga2026"):
        with pytest.raises(ValidationError):
            validate_password(weak, User(username="olga2026"))
