"""In real Chromium against a real server: a participant waits in the lobby on a phone and
is taken to the room when the dialogue starts; two people in a room get their call back
after the server goes away for a moment (as in a network drop or a restart)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Registration, Room
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.testing import accessibility_problems, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lobby_takes_amina_to_her_room_at_the_start(chromium, start_server, youth_dialogue):
    tokens = group_of_four(youth_dialogue)
    actions.reschedule_event(event=youth_dialogue, starts_at=timezone.now() + timedelta(minutes=5))
    server = start_server()
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.grant_permissions(["camera", "microphone"])
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{server.url}/d/youth-dialogue/you/{tokens['Amina']}/?lang=en")
    page.click("#room-link")  # "Enter the lobby"
    page.wait_for_selector("#lobby")
    assert page.text_content("#here") == "1"
    assert accessibility_problems(page) == []
    for other in Registration.objects.exclude(display_name="Amina"):  # in their own lobbies
        actions.enter_lobby(registration=other)
    page.wait_for_function("() => document.querySelector('#here').textContent === '4'")
    actions.reschedule_event(event=youth_dialogue, starts_at=timezone.now() - timedelta(seconds=1))
    page.wait_for_url("**/room/?lang=en")  # lobby.js noticed the start
    page.wait_for_function(
        "() => document.querySelector('#connection').textContent === 'Connected'"
    )
    amina_now = Registration.objects.get(display_name="Amina")
    assert amina_now.group is not None and amina_now.joined_at is not None
    context.close()


def test_a_call_comes_back_after_the_server_goes_away(chromium, start_server, youth_dialogue):
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    server = start_server()
    pages = []
    for name in ("Li Wei", "Pierre"):
        context = chromium.new_context(viewport={"width": 800, "height": 700})
        context.grant_permissions(["camera", "microphone"])
        page = context.new_page()
        page.set_default_timeout(40000)
        page.goto(f"{server.url}/d/youth-dialogue/you/{tokens[name]}/room/?lang=en")
        pages.append(page)
    frames = "() => window.globalDialogueRoom.stats().then(f => f.length === 1 && f[0] > 0)"
    for page in pages:
        wait_until(page, frames)
    pages[0].click("#hand")
    for page in pages:  # the server has taken the raised hand before the drop
        page.wait_for_function("() => document.querySelector('#speaker').textContent === 'Li Wei'")
    server.stop()  # the connection drops
    for page in pages:
        page.wait_for_function(
            "() => document.querySelector('#connection').textContent.startsWith('Connection lost')"
        )
        assert page.locator("video.remote").count() == 0  # calls are hung up meanwhile
    server.start()  # the same address again
    for page in pages:
        page.wait_for_function(
            "() => document.querySelector('#connection').textContent === 'Connected'"
        )
        wait_until(page, frames)  # the call is rebuilt
    # The room's state lived on the server through it all.
    for page in pages:
        page.wait_for_function("() => document.querySelector('#speaker').textContent === 'Li Wei'")
    assert Room.objects.get().queue == [Registration.objects.get(display_name="Li Wei").pk]
    for page in pages:
        page.context.close()
