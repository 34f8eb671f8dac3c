#!/usr/bin/env python3
"""Runs a command that prints JSON lines (`pkgtree build --progress json`) and writes each
line to OUTPUT with "t", the seconds since the command was started, added as it arrives.
pkgtree writes every event straight to its stdout, so arrival time is event time to within
a millisecond. A last line {"event": "exit", "t": ..., "status": ...} holds the wall time.
Exits with the command's status.

usage: timed_events.py OUTPUT -- COMMAND [ARGUMENT...]
"""
import json
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    output, command = sys.argv[1], sys.argv[3:]
    start = time.monotonic()
    with open(output, "w") as handle, subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            arrived = time.monotonic() - start
            event = json.loads(line)
            event["t"] = round(arrived, 4)
            handle.write(json.dumps(event) + "\n")
        status = process.wait()
        handle.write(json.dumps({"event": "exit", "t": round(time.monotonic() - start, 4), "status": status}) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
