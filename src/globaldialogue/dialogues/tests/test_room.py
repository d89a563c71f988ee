"""A group's room over WebSockets: Amina (the host), Li Wei and Pierre join with their room
tokens; signalling is relayed only to its addressee; the facilitator's queue, votes and host
controls reach everyone; strangers and removed people are kept out."""

import time

import pytest

from globaldialogue.asgi import application
from globaldialogue.dialogues import actions, room, tokens
from globaldialogue.dialogues.models import DialogueGroup, Registration
from globaldialogue.dialogues.tests.events import group_of_four
from globaldialogue.testing import WebsocketCommunicator, run

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://testserver")]


@pytest.fixture
def room_tokens(youth_dialogue) -> dict[str, tuple[int, str]]:
    """Four registrants in one group, Amina hosting; name -> (registration id, room token)."""
    group_of_four(youth_dialogue)
    group = DialogueGroup.objects.get()
    actions.set_host(group=group, registration=Registration.objects.get(display_name="Amina"))
    return {
        r.display_name: (r.pk, tokens.room_token(registration=r))
        for r in Registration.objects.all()
    }


def socket(token: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/room/", ORIGIN, query=f"token={token}")


def is_state(message: dict) -> bool:
    return message["type"] == "state"


def test_a_stranger_or_a_forged_token_is_refused(room_tokens):
    async def scenario() -> list[bool]:
        results = []
        for token in ("", "not-a-token", room_tokens["Amina"][1] + "x"):
            connected, _code = await socket(token).connect()
            results.append(connected)
        return results

    assert run(scenario) == [False, False, False]


def test_signals_reach_only_their_addressee_and_the_queue_reaches_everyone(room_tokens):
    amina_id, pierre_id = room_tokens["Amina"][0], room_tokens["Pierre"][0]

    async def scenario() -> dict:
        a, b, c = (socket(room_tokens[n][1]) for n in ("Amina", "Li Wei", "Pierre"))
        seen = {}
        for client in (a, b, c):
            assert (await client.connect())[0]
        seen["welcome"] = await c.until(lambda m: m["type"] == "welcome")
        await a.send_json_to({"type": "signal", "to": pierre_id, "data": {"sdp": "offer"}})
        seen["signal"] = await c.until(lambda m: m["type"] == "signal")
        await b.send_json_to({"type": "signal", "to": 999999, "data": {"sdp": "x"}})  # no one
        await a.send_json_to({"type": "hand", "raised": True})
        seen["queue_b"] = await b.until(lambda m: is_state(m) and m["queue"])
        for client in (a, b, c):
            await client.disconnect()
        return seen

    seen = run(scenario)
    assert set(seen["welcome"]["peers"]) == {amina_id, room_tokens["Li Wei"][0]}
    assert seen["signal"] == {"type": "signal", "from": amina_id, "data": {"sdp": "offer"}}
    assert seen["queue_b"]["queue"] == [amina_id] and seen["queue_b"]["turn_seconds"] == 60


def test_the_group_votes_to_move_on_and_only_the_host_controls(room_tokens):
    async def scenario() -> dict:
        a, b, c = (socket(room_tokens[n][1]) for n in ("Amina", "Li Wei", "Pierre"))
        for client in (a, b, c):
            await client.connect()
        await b.send_json_to({"type": "next"})  # not the host: ignored
        await b.send_json_to({"type": "advance", "item": 1})
        first = await a.until(lambda m: is_state(m) and m["advance_votes"] == 1)
        await c.send_json_to({"type": "advance", "item": 1})
        moved = await a.until(lambda m: is_state(m) and m["position"] == 2)
        await a.send_json_to({"type": "next"})  # the host moves on alone
        hosted = await b.until(lambda m: is_state(m) and m["position"] == 3)
        for client in (a, b, c):
            await client.disconnect()
        return {"first": first, "moved": moved, "hosted": hosted}

    seen = run(scenario)
    assert seen["first"]["position"] == 1
    assert seen["moved"]["advance_votes"] == 0 and seen["moved"]["agenda"][1]["minutes"] == 30


def test_the_host_removes_someone_whose_token_then_stops_working(room_tokens):
    pierre_id, pierre_token = room_tokens["Pierre"]

    async def scenario() -> tuple[dict, bool]:
        a, c = socket(room_tokens["Amina"][1]), socket(pierre_token)
        await a.connect()
        await c.connect()
        await a.send_json_to({"type": "remove", "who": pierre_id})
        notice = await c.until(lambda m: m["type"] == "removed")
        await a.disconnect()
        again, _code = await socket(pierre_token).connect()
        return notice, again

    notice, again = run(scenario)
    assert notice == {"type": "removed"} and not again


def test_chat_is_relayed_trimmed_and_rate_limited(room_tokens):
    async def scenario() -> list[dict]:
        a, b = socket(room_tokens["Amina"][1]), socket(room_tokens["Li Wei"][1])
        await a.connect()
        await b.connect()
        for n in range(7):
            await a.send_json_to({"type": "chat", "text": f"  <b>hello {n}</b>  " + "x" * 600})
        await a.send_json_to({"type": "tick"})
        await b.until(lambda m: is_state(m) and m["version"] >= 0)
        chats = []
        while not await b.receive_nothing(timeout=0.5):
            message = await b.receive_json_from()
            if message["type"] == "chat":
                chats.append(message)
        await a.disconnect()
        await b.disconnect()
        return chats

    chats = run(scenario)
    assert 1 <= len(chats) <= 5  # five per ten seconds; the rest are dropped
    assert chats[0]["name"] == "Amina" and chats[0]["text"].startswith("<b>hello")
    assert len(chats[0]["text"]) == 500  # sent as text; pages show it with textContent


def test_oversized_messages_are_dropped(room_tokens):
    async def scenario() -> int:
        a = socket(room_tokens["Amina"][1])
        await a.connect()
        huge = {"type": "hand", "raised": True, "padding": "x" * 70_000}
        await a.send_json_to(huge)
        await a.send_json_to({"type": "tick"})
        state = await a.until(is_state)
        await a.disconnect()
        return len(state["queue"])

    assert run(scenario) == 0


def test_a_reload_keeps_ones_place_but_leaving_for_good_gives_it_up(room_tokens, monkeypatch):
    li_wei_id = room_tokens["Li Wei"][0]

    async def scenario() -> tuple[list, list]:
        a, b = socket(room_tokens["Amina"][1]), socket(room_tokens["Li Wei"][1])
        await a.connect()
        await b.connect()
        await b.send_json_to({"type": "hand", "raised": True})
        await a.until(lambda m: is_state(m) and m["queue"] == [li_wei_id])
        await b.disconnect()  # a reload: back at once, still in the queue
        again = socket(room_tokens["Li Wei"][1])
        await again.connect()
        kept = (await again.until(is_state))["queue"]
        await again.disconnect()
        monkeypatch.setattr(room, "PRESENT_FOR", 0)  # as if gone for a while
        await a.send_json_to({"type": "tick"})
        after = (await a.until(lambda m: is_state(m) and m["queue"] != [li_wei_id]))["queue"]
        await a.disconnect()
        return kept, after

    kept, after = run(scenario)
    assert kept == [li_wei_id] and after == []


def test_the_state_says_who_is_here_so_the_absent_are_not_listed(room_tokens):
    """The talk-time panel lists those present: the state names them (`here`)."""
    amina_id, li_wei_id = room_tokens["Amina"][0], room_tokens["Li Wei"][0]

    async def scenario() -> dict:
        a, b = socket(room_tokens["Amina"][1]), socket(room_tokens["Li Wei"][1])
        await a.connect()
        await b.connect()
        both = await a.until(lambda m: is_state(m) and len(m["here"]) == 2)
        await a.disconnect()
        await b.disconnect()
        return both

    assert set(run(scenario)["here"]) == {amina_id, li_wei_id}  # Pierre and Kofi are away


def test_a_filed_report_reaches_everyone_in_the_room(room_tokens):
    """The report is one shared draft: what a member sends fills the others' forms."""
    from channels.db import database_sync_to_async

    from globaldialogue.dialogues import room_actions

    def file() -> None:
        amina_registration = Registration.objects.get(display_name="Amina")
        room_actions.file_report(
            group=amina_registration.group,
            registration=amina_registration,
            summaries={"2": "Water and schools."},
            ideas=[{"text": "Free schools", "agreement": "most"}],
            message="Listen to young people.",
        )

    async def scenario() -> dict:
        a, b = socket(room_tokens["Amina"][1]), socket(room_tokens["Li Wei"][1])
        await a.connect()
        await b.connect()
        await database_sync_to_async(file)()
        report = await b.until(lambda m: m["type"] == "report")
        await a.disconnect()
        await b.disconnect()
        return report

    report = run(scenario)
    assert report["summaries"] == {"2": "Water and schools."}
    assert report["ideas"] == [{"text": "Free schools", "agreement": "most"}]
    assert report["message"] == "Listen to young people." and report["by"] == "Amina"


def test_talk_time_is_bounded_by_the_time_that_passed(room_tokens):
    """Li Wei's page claims 10 seconds of talk fifty times in a moment: the room counts at
    most the seconds that really passed."""

    async def scenario() -> dict:
        b = socket(room_tokens["Li Wei"][1])
        await b.connect()
        for _ in range(50):
            await b.send_json_to({"type": "talk", "seconds": 10})
        await b.send_json_to({"type": "hand", "raised": True})
        return await b.until(lambda m: is_state(m) and m["queue"])

    started = time.monotonic()
    state = run(scenario)
    elapsed = time.monotonic() - started
    li_wei = str(room_tokens["Li Wei"][0])
    assert state["talk"].get(li_wei, 0) <= elapsed + 1


def test_a_flood_of_room_messages_is_dropped_past_each_kinds_limit(room_tokens):
    async def scenario() -> list[dict]:
        a, b = socket(room_tokens["Amina"][1]), socket(room_tokens["Li Wei"][1])
        await a.connect()
        await b.connect()
        await a.until(is_state)
        for n in range(60):
            await b.send_json_to({"type": "hand", "raised": n % 2 == 0})
        await b.send_json_to({"type": "chat", "text": "done"})
        seen = []
        while not seen or seen[-1]["type"] != "chat":
            seen.append(await a.receive_json_from(5))
        return seen

    states = [m for m in run(scenario) if is_state(m)]
    # Each accepted hand changes the state once; Li Wei's joining announced her once more.
    assert len(states) <= room.MESSAGE_LIMITS["hand"][0] + 1


def test_a_removed_member_gets_no_room_credentials(youth_dialogue, client):
    from globaldialogue.dialogues import room_actions

    personal = group_of_four(youth_dialogue)
    actions.start_event(event=youth_dialogue, early=True)
    group = DialogueGroup.objects.get()
    pierre = Registration.objects.get(display_name="Pierre")
    page = f"/d/youth-dialogue/you/{personal['Pierre']}/room/"
    assert 'data-token="' in client.get(page).content.decode()
    room_actions.remove_from_room(group=group, member=pierre.pk)
    refused = client.get(page)
    assert refused.status_code == 403
    html = refused.content.decode()
    assert 'data-token="' not in html and "room-media" not in html


def test_what_a_member_sends_reaches_the_others_and_later_arrivals(room_tokens):
    pierre_id = room_tokens["Pierre"][0]

    async def scenario() -> tuple[dict, dict]:
        pierre, amina = socket(room_tokens["Pierre"][1]), socket(room_tokens["Amina"][1])
        assert (await pierre.connect())[0] and (await amina.connect())[0]
        await pierre.send_json_to({"type": "media", "video": False, "audio": True, "x": 1})
        told = await amina.until(lambda m: m["type"] == "media")
        li_wei = socket(room_tokens["Li Wei"][1])
        assert (await li_wei.connect())[0]
        welcome = await li_wei.until(lambda m: m["type"] == "welcome")
        for client in (pierre, amina, li_wei):
            await client.disconnect()
        return told, welcome

    told, welcome = run(scenario)
    flags = {"video": False, "audio": True, "audioOnly": False}  # only these, as booleans
    assert told == {"type": "media", "member": pierre_id, **flags}
    assert welcome["media"] == {str(pierre_id): flags}
