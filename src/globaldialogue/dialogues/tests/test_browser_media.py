"""Rooms on real networks, in real Chromium (fake cameras) against real media components:
three people forced through our coturn (relay only) see each other and get their calls back
after the TURN server goes away long enough for the pages to stop their quick tries, and
returns; groups meet through a real Janus, which also measures who is talking; audio only;
the camera check before joining."""

import math
import struct
import wave
from pathlib import Path
from typing import Any

import pytest

from globaldialogue.dialogues import actions, janus
from globaldialogue.dialogues.models import DialogueGroup, Event, Registration, Room
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.dialogues.tests.media_servers import TURN_SECRET
from globaldialogue.dialogues.tests.test_admin import event_form
from globaldialogue.personas import Person, registration_form
from globaldialogue.testing import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    WEBRTC_FLAGS,
    accessibility_problems,
    free_port,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)
THREE = ("Amina", "Li Wei", "Pierre")


def open_room(chromium: Any, server: Any, slug: str, token: str, **options: Any) -> Any:
    context = chromium.new_context(viewport=options.pop("viewport", {"width": 800, "height": 700}))
    context.grant_permissions(["camera", "microphone"])
    page = context.new_page()
    page.set_default_timeout(options.pop("timeout", 45000))
    page.on("console", lambda m: print("CONSOLE", token[:4], m.type, m.text[:300]))
    page.on("pageerror", lambda e: print("PAGEERROR", token[:4], e))
    if route := options.pop("route", None):  # (a URL prefix, what sees its requests first)
        page.route(lambda url: url.startswith(route[0]), route[1])
    page.goto(f"{server.url}/d/{slug}/you/{token}/room/?lang=en")
    return page


def frames_from_everyone(page: Any, others: int, timeout: float = 60) -> None:
    wait_until(
        page,
        "n => window.globalDialogueRoom && window.globalDialogueRoom.stats()"
        ".then(f => f.length === n && f.every(x => x > 0))",
        others,
        timeout=timeout,
        explain="() => window.globalDialogueRoom.stats().then(f => ({frames: f,"
        " tiles: [...document.querySelectorAll('.tile .status')].map(s => s.textContent),"
        " note: document.querySelector('#media-note').textContent,"
        " uplink: window.globalDialogueRoom.uplink()}))",
    )


def frames(page: Any) -> list[int]:
    return list(page.evaluate("() => window.globalDialogueRoom.stats()"))


def relayed(page: Any) -> bool:
    """Whether every call's chosen route goes through TURN on both sides."""
    return bool(
        page.evaluate(
            """() => Promise.all(window.globalDialogueRoom.outgoing().map(pc => pc.getStats()
            .then(report => {
              let pair = null, local = {}, remote = {};
              report.forEach(s => {
                if (s.type === 'transport') pair = report.get(s.selectedCandidatePairId);
                if (s.type === 'local-candidate') local[s.id] = s.candidateType;
                if (s.type === 'remote-candidate') remote[s.id] = s.candidateType;
              });
              return pair && local[pair.localCandidateId] === 'relay'
                && remote[pair.remoteCandidateId] === 'relay';
            }))).then(all => all.length > 0 && all.every(Boolean))"""
        )
    )


def test_three_people_meet_through_turn_only_and_recover_when_it_returns(
    chromium, start_server, youth_dialogue, coturn
):
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    turn = {
        "GLOBALDIALOGUE_TURN_URLS": coturn.urls,
        "GLOBALDIALOGUE_TURN_SECRET": TURN_SECRET,
        "GLOBALDIALOGUE_ICE_TRANSPORT_POLICY": "relay",
    }
    server = start_server(extra_env=turn)
    pages = {name: open_room(chromium, server, "youth-dialogue", tokens[name]) for name in THREE}
    for page in pages.values():
        frames_from_everyone(page, 2)
        assert relayed(page)  # no direct route was even tried: addresses stay hidden
    # The TURN server goes away: the calls drop and say so on their tiles ...
    coturn.stop()
    pages["Amina"].wait_for_function(
        "() => [...document.querySelectorAll('.tile .status')]"
        ".some(s => s.textContent.startsWith('Reconnecting'))"
    )
    # ... the quick tries spent, they say the person cannot be reached but keep trying ...
    pages["Amina"].wait_for_function(
        "() => [...document.querySelectorAll('.tile .status')]"
        ".some(s => s.textContent.endsWith('still trying every few seconds.'))",
        timeout=150000,
    )
    # ... it comes back: ICE restarts bring every call back, and the tiles clear.
    coturn.start_again()
    for page in pages.values():
        before = frames(page)
        wait_until(
            page,
            "old => window.globalDialogueRoom.stats().then(f => f.length === old.length"
            " && f.every((n, i) => n > old[i] + 15))",
            before,
            timeout=90,
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('.tile .status')].every(s => s.textContent === '')"
        )
    for page in pages.values():
        page.context.close()


def test_audio_only_stops_video_both_ways_and_others_see_why(
    chromium, start_server, youth_dialogue
):
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    server = start_server()
    pages = {name: open_room(chromium, server, "youth-dialogue", tokens[name]) for name in THREE}
    for page in pages.values():
        frames_from_everyone(page, 2)
    pages["Pierre"].click("#audio-only")
    assert pages["Pierre"].get_attribute("#audio-only", "aria-pressed") == "true"
    amina_id = Registration.objects.get(display_name="Pierre").pk
    pages["Amina"].wait_for_function(
        "id => document.querySelector(`.tile[data-member='${id}'] .status`).textContent"
        " === 'Audio only'",
        arg=amina_id,
    )
    # Pierre receives no more video, and sends none: counts stand still on both sides.
    pages["Pierre"].wait_for_timeout(1500)  # what was in flight arrives
    still = frames(pages["Pierre"])
    pages["Pierre"].wait_for_timeout(2500)
    assert frames(pages["Pierre"]) == still
    assert accessibility_problems(pages["Pierre"]) == []
    pages["Pierre"].click("#audio-only")  # back to video
    wait_until(
        pages["Pierre"],
        "old => window.globalDialogueRoom.stats().then(f => f.every((n, i) => n > old[i] + 10))",
        still,
    )
    for page in pages.values():
        page.context.close()


# --- Janus ------------------------------------------------------------------------------------


def janus_site(start_janus: Any, start_server: Any, settings: Any, **env: str) -> tuple[Any, Any]:
    """A Janus that reports to a server started after it, both configured alike."""
    port = free_port()
    media_server = start_janus(events_url=f"http://127.0.0.1:{port}/d/janus/events")
    media_server.configure(settings)
    server = start_server(extra_env={**media_server.settings(), **env}, port=port)
    return media_server, server


def speech_file(folder: Path) -> Path:
    """A stand-in for someone talking: two seconds of a loud tone, one of silence (Chromium
    plays it in a loop as the microphone)."""
    path, rate = folder / "talking.wav", 48000
    tone = [int(9000 * math.sin(2 * math.pi * 220 * n / rate)) for n in range(2 * rate)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{3 * rate}h", *tone, *([0] * rate)))
    return path


def test_three_meet_through_janus_which_measures_who_talks(
    chromium, start_server, start_janus, settings, youth_dialogue, tmp_path
):
    _janus, server = janus_site(start_janus, start_server, settings)
    talking = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_FLAGS,
            *WEBRTC_FLAGS,
            f"--use-file-for-fake-audio-capture={speech_file(tmp_path)}",
        ],
    )
    actions.update_event(event=youth_dialogue, media="janus")
    tokens = group_of_four(youth_dialogue)  # the rooms are created as the groups form
    actions.start_event(event=youth_dialogue, early=True)
    amina = Registration.objects.get(display_name="Amina")
    actions.set_host(group=DialogueGroup.objects.get(), registration=amina)
    pages = {name: open_room(talking, server, "youth-dialogue", tokens[name]) for name in THREE}
    for page in pages.values():
        frames_from_everyone(page, 2)
        # One stream up to Janus, whatever the group's size.
        assert page.evaluate("() => window.globalDialogueRoom.outgoing().length") == 1
    pages["Amina"].wait_for_function(
        "() => document.querySelector('#talk-source').textContent.startsWith('Measured')"
    )
    group = DialogueGroup.objects.get()
    # The talking in the file: Janus hears it and tells our server who talked.
    pages["Amina"].wait_for_function(
        "() => [...document.querySelectorAll('#balance span')]"
        ".some(s => !s.textContent.endsWith(' 0 s'))",
        timeout=60000,
    )
    assert sum(Room.objects.get(group=group).talk.values()) > 0
    assert accessibility_problems(pages["Li Wei"]) == []
    # Audio only through Janus: Li Wei's subscriptions stop their video.
    pages["Li Wei"].click("#audio-only")
    pages["Li Wei"].wait_for_timeout(1500)
    still = frames(pages["Li Wei"])
    pages["Li Wei"].wait_for_timeout(2500)
    assert frames(pages["Li Wei"]) == still
    # The host removes Pierre: Janus drops him at once, and the others' tiles go.
    pierre = Registration.objects.get(display_name="Pierre")
    pages["Amina"].click("#balance button.host-remove[aria-label$='Pierre']")
    pages["Li Wei"].wait_for_function(
        "() => document.querySelectorAll('video.remote').length === 1"
    )
    with janus.Session() as session:
        assert pierre.pk not in [p["id"] for p in session.participants(group.pk)]
    talking.close()


def test_a_subscription_janus_refuses_is_tried_again_until_it_comes_through(
    chromium, start_server, start_janus, settings, youth_dialogue
):
    media_server, server = janus_site(start_janus, start_server, settings)
    actions.update_event(event=youth_dialogue, media="janus")
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    pages = {
        name: open_room(chromium, server, "youth-dialogue", tokens[name])
        for name in ("Amina", "Pierre")
    }
    # On Li Wei's page, his first two subscriptions (the attaches after his own) are
    # refused as a busy Janus refuses: an error answer, which janus.js hands to `error`.
    attaches: list[str] = []

    def refuse(route: Any) -> None:
        body = route.request.post_data_json if route.request.method == "POST" else None
        if isinstance(body, dict) and body.get("janus") == "attach":
            attaches.append(body["transaction"])
            if len(attaches) in (2, 3):
                refusal = {"code": 490, "reason": "Too busy"}
                return route.fulfill(json={"janus": "error", "error": refusal})
        return route.continue_()

    li_wei = open_room(
        chromium, server, "youth-dialogue", tokens["Li Wei"], route=(media_server.url, refuse)
    )
    pages["Li Wei"] = li_wei
    for page in pages.values():
        frames_from_everyone(page, 2)
    trace = li_wei.evaluate("() => window.globalDialogueRoom.trace()")
    assert len(attaches) >= 5 and len(trace) == 2
    for events in trace.values():
        refused = events[0]  # janus.js words the error its own way around Janus' code and reason
        assert refused.startswith("0 refused attach") and refused.endswith("490 Too busy")
        assert "1 ice connected" in events
    for page in pages.values():
        page.context.close()


def test_an_organizer_puts_an_event_on_janus_and_a_group_of_eight_meets(
    chromium, start_server, start_janus, settings, youth_dialogue, olga_client
):
    # Eight Chromium pages on two cores encode 8 and decode 56 streams: the browsers' estimate
    # of the loopback's bandwidth sinks below the weak-uplink threshold, and some would
    # switch to audio only by themselves (as they should on a real weak link). Off here.
    _janus, server = janus_site(
        start_janus, start_server, settings, GLOBALDIALOGUE_ROOM_AUDIO_ONLY_BELOW_KBPS="0"
    )
    consultation = youth_dialogue.consultation
    assert (
        olga_client.post("/admin/dialogues/event/add/", event_form(consultation)).status_code == 302
    )
    event = Event.objects.get(slug="town-hall")
    assert event.media == "" and actions.group_sizes(event) == (4, 6)  # the mesh by default
    # Olga switches it to Janus, for groups of eight.
    item = event.agenda.get()
    change = event_form(consultation, media="janus", min_group_size="8", max_group_size="8")
    change.update({"agenda-INITIAL_FORMS": "1", "agenda-0-id": str(item.pk)})
    response = olga_client.post(f"/admin/dialogues/event/{event.pk}/change/", change)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.media == "janus" and actions.group_sizes(event) == (8, 8)
    tokens = [
        actions.register(**registration_form(event, person, languages=["en"]))[1]
        for person in EIGHT
    ]
    actions.start_event(event=event, early=True)
    assert DialogueGroup.objects.get().members.count() == 8
    pages = [open_room(chromium, server, "town-hall", token, timeout=90000) for token in tokens]
    try:
        for page in pages:
            frames_from_everyone(page, 7, timeout=180)
    except AssertionError:
        for page in pages:
            print("STATE", page.evaluate(SENT))
        raise
    for page in pages:
        page.context.close()


SENT = """() => Promise.all([window.globalDialogueRoom.stats(),
  window.globalDialogueRoom.trace()].concat(
  window.globalDialogueRoom.outgoing().map(pc => pc.getStats().then(r => {
    let out = {ice: pc.iceConnectionState, conn: pc.connectionState};
    r.forEach(s => { if (s.type === 'outbound-rtp') out[s.kind] = [s.framesEncoded, s.packetsSent,
      s.qualityLimitationReason]; });
    return out;
  }))))"""


EIGHT = [
    Person(name, country, ("en",), age, "")
    for name, country, age in (
        ("Amina", "JO", "16_30"),
        ("Li Wei", "CN", "31_45"),
        ("Pierre", "FR", "16_30"),
        ("Kofi", "GH", "46_60"),
        ("Sofia", "AR", "31_45"),
        ("Ravi", "IN", "16_30"),
        ("Olena", "UA", "46_60"),
        ("Tomás", "MX", "46_60"),
    )
]


# --- before joining ---------------------------------------------------------------------------


def test_the_check_page_shows_the_camera_devices_and_a_moving_level(
    chromium, start_server, youth_dialogue
):
    tokens = group_of_four(youth_dialogue)
    server = start_server()
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    context.grant_permissions(["camera", "microphone"])
    page = context.new_page()
    page.goto(f"{server.url}/d/youth-dialogue/you/{tokens['Kofi']}/check/?lang=en")
    assert accessibility_problems(page) == []
    page.focus("#check-start")
    page.keyboard.press("Enter")  # the keyboard alone does it
    page.wait_for_function(
        "() => document.querySelector('#check-status').textContent === "
        "'Your camera and microphone work.'"
    )
    page.wait_for_function("() => document.querySelector('#check-video').videoWidth > 0")
    assert page.locator("#camera-choice option").count() >= 1
    assert page.locator("#microphone-choice option").count() >= 1
    page.wait_for_function("() => document.querySelector('#level').value > 0.05")
    page.check("#audio-only-choice")
    assert accessibility_problems(page) == []
    # The room remembers the choice: it joins with audio only.
    actions.start_event(event=youth_dialogue, early=True)
    page.goto(f"{server.url}/d/youth-dialogue/you/{tokens['Kofi']}/room/?lang=en")
    page.wait_for_function(
        "() => document.querySelector('#audio-only').getAttribute('aria-pressed') === 'true'"
    )
    context.close()


def test_the_check_page_says_what_to_do_when_the_browser_refuses(
    chromium, start_server, youth_dialogue
):
    tokens = group_of_four(youth_dialogue)
    server = start_server()
    # The suite's browser says yes to every camera request: this one asks, and is refused.
    asking = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, "--use-fake-device-for-media-stream"]
    )
    context = asking.new_context(viewport=PHONE)
    page = context.new_page()
    url = f"{server.url}/d/youth-dialogue/you/{tokens['Kofi']}/check/?lang=en"
    page.goto(url)
    session = context.new_cdp_session(page)
    for name in ("camera", "microphone"):
        session.send(
            "Browser.setPermission",
            {"permission": {"name": name}, "setting": "denied", "origin": server.url},
        )
    page.click("#check-start")
    page.wait_for_function(
        "() => document.querySelector('#check-status').textContent.includes('refused')"
    )
    assert page.get_attribute("#refused-help", "open") is not None
    assert accessibility_problems(page) == []
    asking.close()


def test_a_weak_uplink_switches_to_audio_only_and_says_why(chromium, start_server, youth_dialogue):
    # Above any real link's bandwidth: every uplink counts as weak once the call has settled.
    tokens = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    server = start_server(extra_env={"GLOBALDIALOGUE_ROOM_AUDIO_ONLY_BELOW_KBPS": "100000000"})
    pages = [open_room(chromium, server, "youth-dialogue", tokens[n]) for n in ("Amina", "Kofi")]
    for page in pages:
        frames_from_everyone(page, 1)
    pages[0].wait_for_function(
        "() => document.querySelector('#audio-only').getAttribute('aria-pressed') === 'true'",
        timeout=90000,
    )
    assert "connection is weak" in pages[0].text_content("#media-note")
    for page in pages:
        page.context.close()
