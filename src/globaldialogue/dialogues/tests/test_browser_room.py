"""Three people hold a facilitated dialogue in real Chromium against a real server: each
receives video from the other two over the peer-to-peer mesh (fake cameras), the queue and
the move to the next agenda item are seen by all three, and one files the group's report,
which the organizer then sees."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import DialogueGroup, GroupReport, Registration
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.dialogues.tests.livekit_fake import FakeLiveKit
from globaldialogue.testing import accessibility_problems, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "a-browser-test-secret-long-enough-for-hs256"


def test_three_people_hold_a_dialogue_and_file_a_report(chromium, start_server, youth_dialogue):
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    group = DialogueGroup.objects.get()
    actions.set_host(group=group, registration=Registration.objects.get(display_name="Amina"))
    server = start_server()
    pages = {}
    for name in ("Amina", "Li Wei", "Pierre"):
        context = chromium.new_context(viewport={"width": 1024, "height": 800})
        context.grant_permissions(["camera", "microphone"])
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(f"{server.url}/d/youth-dialogue/you/{tokens[name]}/room/?lang=en")
        pages[name] = page
    for page in pages.values():  # two remote videos, each decoding frames
        page.wait_for_function(
            "() => window.globalDialogueRoom"
            " && document.querySelectorAll('video.remote').length === 2"
        )
        wait_until(
            page,
            "() => window.globalDialogueRoom.stats()"
            ".then(f => f.length === 2 && f.every(n => n > 0))",
        )
    pages["Li Wei"].click("#hand")
    for page in pages.values():
        page.wait_for_function("() => document.querySelector('#speaker').textContent === 'Li Wei'")
    pages["Amina"].click("#next")  # the host moves the group on
    for page in pages.values():
        page.wait_for_function(
            "() => document.querySelector('#item-name').textContent.startsWith('2.')"
        )
    assert accessibility_problems(pages["Pierre"]) == []
    # The host's controls for each other member here; Kofi, away, is not listed at all.
    assert pages["Amina"].locator(".host-remove").count() == 2
    assert "Kofi" not in pages["Amina"].locator("#balance").inner_text()
    assert pages["Pierre"].locator(".host-remove").count() == 0
    reporter = pages["Pierre"]
    reporter.fill("#summary-1", "We introduced ourselves.")
    reporter.fill("#idea-0", "Free secondary school everywhere")
    reporter.select_option("#agreement-0", "most")
    reporter.fill("#message", "Listen to young people.")
    reporter.click("#report-form button")
    reporter.wait_for_function("() => document.querySelector('#report-error').className === 'ok'")
    report = GroupReport.objects.get()
    assert report.message == "Listen to young people." and report.ideas[0]["agreement"] == "most"
    # One shared draft: what Pierre sent fills Amina's form, and says who sent it.
    pages["Amina"].wait_for_function(
        "() => document.querySelector('#message').value === 'Listen to young people.'"
    )
    assert pages["Amina"].input_value("#summary-1") == "We introduced ourselves."
    assert "Pierre" in pages["Amina"].locator("#report-sent").inner_text()
    for page in pages.values():
        page.context.close()


def test_a_livekit_room_connects_to_livekit_with_its_join_token(
    chromium, start_server, youth_dialogue
):
    """No media server here: a local fake records the browser's connection request, which
    must carry our token, and refuses it; the room then says video cannot be reached."""
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    li_wei_registration = Registration.objects.get(display_name="Li Wei")
    with FakeLiveKit("browser-key", SECRET) as fake:
        livekit_url = fake.url.replace("http://", "ws://")
        env = {"GLOBALDIALOGUE_ROOM_MEDIA": "livekit", "LIVEKIT_URL": livekit_url}
        env.update(LIVEKIT_API_KEY="browser-key", LIVEKIT_API_SECRET=SECRET)
        server = start_server(extra_env=env)
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera", "microphone"])
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(f"{server.url}/d/youth-dialogue/you/{tokens['Li Wei']}/room/?lang=en")
        page.wait_for_function("() => document.querySelector('#media-note').textContent.length > 0")
        assert "video service cannot be reached" in page.text_content("#media-note")
        page.wait_for_function(
            "() => document.querySelector('#connection').textContent === 'Connected'"
        )
        rtc = [path for path in fake.browser_paths if path.startswith("/rtc")]
        assert rtc, fake.browser_paths
        token = parse_qs(urlsplit(rtc[0]).query)["access_token"][0]
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        assert claims["sub"] == str(li_wei_registration.pk)
        assert claims["video"]["room"] == f"gd-group-{li_wei_registration.group_id}"
        assert accessibility_problems(page) == []
        context.close()
