"""Joining a dialogue room on the peer-to-peer mesh: time from opening the room page to the
first frame from every other participant, for 2, 4 and 6 participants, and the CPU the
browsers use per participant while the room runs.

Set-up: `globaldialogue serve` (SQLite, embedded) and Debian's Chromium with fake cameras,
every participant a context of one headless browser on this machine (so all encoding and
decoding happens on the same 2 cores). Peer, same run: two RTCPeerConnections in one page
connected directly (no server, no signalling), the floor for the time to a first frame.

    .venv/bin/python bench/rooms.py
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import OUT, ROOT, Server, environment, machine, save, shell_output

from globaldialogue.testing import CHROMIUM, CHROMIUM_FLAGS, WEBRTC_FLAGS

SIZES = [int(s) for s in sys.argv[1:]] or [2, 4, 6]
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


def setup(env: dict, size: int) -> list[str]:
    """An event with one group of `size`; returns each member's room path."""
    code = f"""
from datetime import timedelta
from django.utils import timezone
from globaldialogue.consultations.actions import save_consultation
from globaldialogue.dialogues import actions
from globaldialogue.dialogues.models import Event
consultation = save_consultation(
    slug="bench", title={{"en": "B"}}, languages=["en"], replace=False)
event = actions.create_event(
    consultation=consultation, slug="bench-{size}", title={{"en": "Bench"}},
    languages=["en"], starts_at=timezone.now() + timedelta(days=1), time_zone="UTC",
    agenda=[{{"title": {{"en": "Talk"}}, "minutes": 30}}], min_group_size=4, max_group_size=6,
    status=Event.Status.PUBLISHED)
tokens = [actions.register(event=event, display_name=f"P{{n}}", languages=["en"], country="FR",
    age_group="16_30", accepted_rules=True)[1] for n in range(max({size}, 4))]
actions.form_groups(event=event)
actions.start_event(event=event, early=True)
for token in tokens[:{size}]:
    print(f"ROOM /d/bench-{size}/you/{{token}}/room/")
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


def room(browser, server: Server, paths: list[str]) -> dict:
    pages, opened = [], []
    for path in paths:
        context = browser.new_context(viewport={"width": 800, "height": 600})
        page = context.new_page()
        page.set_default_timeout(60000)
        opened.append(time.perf_counter())
        page.goto(server.url + path)
        pages.append(page)
    others = len(paths) - 1
    first_frames = []
    for page, start in zip(pages, opened, strict=True):
        page.wait_for_function(
            f"window.globalDialogueRoom && window.globalDialogueRoom.stats().then("
            f"f => f.length === {others} && f.every(n => n > 0))",
            polling=50,
        )
        first_frames.append((time.perf_counter() - start) * 1000)
    before, clock = chromium_cpu_seconds(), time.perf_counter()
    time.sleep(15)
    cpu = (chromium_cpu_seconds() - before) / (time.perf_counter() - clock)
    for page in pages:
        page.context.close()
    return {
        "participants": len(paths),
        "to_all_frames_ms_median": round(statistics.median(first_frames)),
        "to_all_frames_ms_max": round(max(first_frames)),
        "cpu_cores_per_participant": round(cpu / len(paths), 3),
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    data = OUT / "rooms-data"
    data.mkdir(parents=True, exist_ok=True)
    env = environment(f"sqlite:///{data / 'rooms.sqlite3'}", GLOBALDIALOGUE_DATA_DIR=str(data))
    subprocess.run(
        [str(ROOT / ".venv/bin/globaldialogue"), "migrate", "-v", "0"], env=env, check=True
    )
    rooms = {size: setup(env, size) for size in SIZES}
    server = Server(env, workers=1)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS + WEBRTC_FLAGS
            )
            page = browser.new_page()
            page.goto(server.url + "/healthz")
            direct = [page.evaluate(DIRECT) for _ in range(5)]
            results = [room(browser, server, rooms[size]) for size in SIZES]
            browser.close()
    finally:
        server.stop()
    floor = statistics.median(direct)
    for result in results:
        result["ratio_to_direct_pair"] = round(result["to_all_frames_ms_median"] / floor, 1)
    save(
        "rooms",
        {"machine": machine(), "direct_pair_first_frame_ms_median": round(floor), "rooms": results},
    )


if __name__ == "__main__":
    sys.exit(main())
