#!/usr/bin/env python3
"""The original Python generator's way of reading an AI Engine answer, for the bench.

It POSTs the submit body with aiohttp and reads the SSE answer line by line, as the original
did: ``async for line in response.content``, decode, keep ``data: `` lines, ``json.loads``
each, yield the text of ``live`` events.

Run as ``python3 python_reader.py SUBMIT_URL NONCE BODY_JSON``: it reads one answer per line
``go`` on stdin and prints, per answer, one JSON line with its wall time and this
process's CPU time (user + system, all threads) in ms, the pieces (events) and characters read.
Without aiohttp it prints ``{"skipped": ...}`` and exits.
"""

import asyncio
import json
import sys
import time

try:
    import aiohttp
except ImportError:
    print(json.dumps({"skipped": "python3-aiohttp not installed"}), flush=True)
    sys.exit(0)


async def live_text(session, url, nonce, body):
    """Yields the text of each live event, as the original generator did."""
    headers = {"Content-Type": "application/json", "X-WP-Nonce": nonce}
    async with session.post(url, data=body, headers=headers) as response:
        async for line in response.content:
            line = line.decode("utf-8")
            if line.startswith("data: "):
                event = json.loads(line[6:])
                if event.get("type") == "live":
                    yield event["data"]


async def one_answer(session, url, nonce, body):
    wall, cpu = time.perf_counter(), time.process_time()
    events = chars = 0
    async for text in live_text(session, url, nonce, body):
        events += 1
        chars += len(text)
    return {
        "wallMs": (time.perf_counter() - wall) * 1000,
        "cpuMs": (time.process_time() - cpu) * 1000,
        "pieces": events,
        "chars": chars,
    }


async def main(url, nonce, body):
    print(json.dumps({"ready": True}), flush=True)
    async with aiohttp.ClientSession() as session:
        # Blocking between answers is fine: nothing else runs while the bench decides.
        for command in sys.stdin:
            if command.strip() != "go":
                break
            print(json.dumps(await one_answer(session, url, nonce, body)), flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
