"""Dialogue rooms by the way their media travels: time from opening the room page to the
first frame from every other participant, the CPU the browsers use per participant while
the room runs, and each participant's uplink (everything their connections send), for

- the direct pair: two RTCPeerConnections in one page, no server (the floor);
- the peer-to-peer mesh at 2, 3, 4 and 6, and at 3 relayed through coturn (relay only);
- Janus at 2, 4, 6, 8 and 12.

Set-up: `globaldialogue serve` (SQLite, embedded), a real Janus and coturn started from
deploy/'s files (as the tests do), Debian's Chromium with fake cameras (320x240, 15 fps), every
participant a context of one headless browser on this machine, so all encoding and
decoding happens on the same cores. Rooms run one after another, each for 15 s after its
last participant has every picture.

    .venv/bin/python bench/rooms.py                 # every case
    .venv/bin/python bench/rooms.py mesh-4 janus-8  # some
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import OUT, ROOT, Server, environment, machine, save, shell_output

from globaldialogue.dialogues.tests.media_servers import TURN_SECRET, Coturn, Janus
from globaldialogue.testing import CHROMIUM, CHROMIUM_FLAGS, WEBRTC_FLAGS, wait_until

CASES = ["mesh-2", "mesh-3", "mesh-4", "mesh-6", "relay-3"]
CASES += ["janus-2", "janus-4", "janus-6", "janus-8", "janus-12"]
RUN_SECONDS = 15
DIRECT = """
async () => {
  const stream = await navigator.mediaDevices.getUserMedia({video: {width: 320, height: 240}});
  const start = performance.now();
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = e => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = e => e.candidate && a.addIceCandidate(e.candidate);
  stream.getTracks().forEach(t => a.addTrack(t, stream));
  const got = new Promise(resolve => { b.ontrack = resolve; });
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await got;
  for (;;) {
    const stats = await b.getStats();
    let frames = 0;
    stats.forEach(s => {
      if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded || 0;
    });
    if (frames > 0) return performance.now() - start;
    await new Promise(r => setTimeout(r, 20));
  }
}
"""
BYTES_SENT = """
() => Promise.all(window.globalDialogueRoom.outgoing().map(pc => pc.getStats()))
  .then(reports => reports.reduce((total, report) => {
    report.forEach(s => { if (s.type === "outbound-rtp") total += s.bytesSent || 0; });
    return total;
  }, 0))
"""
ALL_FRAMES = (
    "n => window.globalDialogueRoom && window.globalDialogueRoom.stats()"
    ".then(f => f.length === n && f.every(x => x > 0))"
)


def setup(env: dict, case: str) -> list[str]:
    """An event with one group for the case; returns each member's room path."""
    media, size = case.split("-")[0], int(case.split("-")[1])
    media = "mesh" if media == "relay" else media
    top = max(size, 4) if media == "mesh" else max(size, 6)
    code = f"""
from datetime import timedelta
from django.utils import timezone
from globaldialogue.consultations.actions import save_consultation
from globaldialogue.dialogues import actions, tasks
from globaldialogue.dialogues.models import Event
consultation = save_consultation(
    slug="bench", title={{"en": "B"}}, languages=["en"], replace=False)
event = actions.create_event(
    consultation=consultation, slug="bench-{case}", title={{"en": "Bench"}},
    languages=["en"], starts_at=timezone.now() + timedelta(days=1), time_zone="UTC",
    agenda=[{{"title": {{"en": "Talk"}}, "minutes": 30}}], min_group_size=4,
    max_group_size={top}, media="{media}", status=Event.Status.PUBLISHED)
tokens = [actions.register(event=event, display_name=f"P{{n}}", languages=["en"], country="FR",
    age_group="16_30", accepted_rules=True)[1] for n in range(max({size}, 4))]
actions.update_event(event=event, min_group_size=min(max({size}, 4), {top}))
actions.form_groups(event=event)
actions.start_event(event=event, early=True)
tasks.create_media_rooms.call(event.pk)
for token in tokens[:{size}]:
    print(f"ROOM /d/bench-{case}/you/{{token}}/room/")
"""
    output = shell_output(env, code)
    return [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("ROOM ")]


def chromium_cpu_seconds() -> float:
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(")")[-1].split()
            name = stat.read_text().split("(")[1].split(")")[0]
        except (OSError, IndexError):
            continue
        if "chrom" in name:
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / 100


def room(browser, server: Server, case: str, paths: list[str]) -> dict:
    pages, opened = [], []
    for path in paths:
        context = browser.new_context(viewport={"width": 800, "height": 600})
        page = context.new_page()
        opened.append(time.perf_counter())
        page.goto(server.url + path)
        pages.append(page)
    first_frames = []
    try:
        for page, start in zip(pages, opened, strict=True):
            wait_until(page, ALL_FRAMES, len(paths) - 1, timeout=300, every=0.25)
            first_frames.append((time.perf_counter() - start) * 1000)
    except AssertionError:  # said in the results: this machine could not hold the room
        for page in pages:
            page.context.close()
        return {"case": case, "participants": len(paths), "failed": "no frames from all in 300 s"}
    sent = [page.evaluate(BYTES_SENT) for page in pages]
    before, clock = chromium_cpu_seconds(), time.perf_counter()
    time.sleep(RUN_SECONDS)
    elapsed = time.perf_counter() - clock
    cpu = (chromium_cpu_seconds() - before) / elapsed
    uplinks = [
        (page.evaluate(BYTES_SENT) - start) * 8 / elapsed / 1000
        for page, start in zip(pages, sent, strict=True)
    ]
    for page in pages:
        page.context.close()
    return {
        "case": case,
        "participants": len(paths),
        "to_all_frames_ms_median": round(statistics.median(first_frames)),
        "to_all_frames_ms_max": round(max(first_frames)),
        "cpu_cores_per_participant": round(cpu / len(paths), 3),
        "uplink_kbps_per_participant": round(statistics.median(uplinks)),
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    cases = sys.argv[1:] or CASES
    data = OUT / "rooms-data"
    data.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-rooms-"))
    (folder / "janus").mkdir()
    (folder / "turn").mkdir()
    janus = Janus(folder / "janus").start()
    coturn = Coturn(folder / "turn").start()
    env = environment(
        f"sqlite:///{data / 'rooms.sqlite3'}",
        GLOBALDIALOGUE_DATA_DIR=str(data),
        GLOBALDIALOGUE_JANUS_API_URL=janus.url,
        GLOBALDIALOGUE_ROOM_AUDIO_ONLY_BELOW_KBPS="0",  # measure video, whatever the load
        **janus.settings(),
    )
    env.pop("REDIS_URL")  # one process: the embedded shape
    relay_env = {
        **env,
        "GLOBALDIALOGUE_TURN_URLS": coturn.urls,
        "GLOBALDIALOGUE_TURN_SECRET": TURN_SECRET,
        "GLOBALDIALOGUE_ICE_TRANSPORT_POLICY": "relay",
    }
    (data / "rooms.sqlite3").unlink(missing_ok=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/globaldialogue"), "migrate", "-v", "0"], env=env, check=True
    )
    rooms = {case: setup(env, case) for case in cases}
    servers = {"plain": Server(env, workers=1), "relay": Server(relay_env, workers=1)}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS + WEBRTC_FLAGS
            )
            page = browser.new_page()
            page.goto(servers["plain"].url + "/healthz")
            direct = [page.evaluate(DIRECT) for _ in range(5)]
            results = []
            for case in cases:
                server = servers["relay" if case.startswith("relay") else "plain"]
                results.append(room(browser, server, case, rooms[case]))
                print(results[-1], flush=True)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
        janus.stop()
        coturn.stop()
    floor = statistics.median(direct)
    for result in results:
        if "failed" not in result:
            result["ratio_to_direct_pair"] = round(result["to_all_frames_ms_median"] / floor, 1)
    save(
        "rooms",
        {"machine": machine(), "direct_pair_first_frame_ms_median": round(floor), "rooms": results},
    )


if __name__ == "__main__":
    sys.exit(main())
