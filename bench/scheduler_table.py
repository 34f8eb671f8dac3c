#!/usr/bin/env python3
"""Prints the scheduler benchmark's Markdown table from a sleep tree (generate_tree.py
--sleep) and the timed events (timed_events.py) of one `pkgtree build -j J` per file.

The bound of a run is max(critical path, total / J): no schedule beats it, and with J at
least the tree's width it is the critical path (the longest chain of sleeps through the
DAG). Per-package overhead divides what the makespan exceeds the bound by over the packages
that bound runs through one after another: the critical chain's length, or N / J when
total / J is the larger. Exits 1 when a run is incomplete or started a package before one
of its requirements finished.

usage: scheduler_table.py TREE J=EVENTS.jsonl [J=EVENTS.jsonl...]
       scheduler_table.py --width TREE   (prints the tree's width: enough slots)
"""
import json
import os
import sys


def load_tree(tree: str) -> tuple:
    with open(os.path.join(tree, "sleeps.json")) as handle:
        sleeps = json.load(handle)
    requires = {}
    for name in sleeps:
        with open(os.path.join(tree, name, "buildinfo.json")) as handle:
            requires[name] = json.load(handle).get("requires", [])
    return sleeps, requires


def topological(requires: dict) -> list:
    """pkgtree's plan order: depth-first over sorted names, requirements first."""
    order, seen = [], set()

    def visit(name):
        if name not in seen:
            seen.add(name)
            for requirement in sorted(requires[name]):
                visit(requirement)
            order.append(name)

    for name in sorted(requires):
        visit(name)
    return order


def critical_path(sleeps: dict, requires: dict) -> tuple:
    """Seconds and packages of the longest chain, and the peak concurrency of the schedule
    that starts every package the moment its requirements finish (the tree's width)."""
    finish, chain = {}, {}
    for name in topological(requires):
        before = max(requires[name], key=lambda r: finish[r], default=None)
        finish[name] = (finish[before] if before else 0) + sleeps[name]
        chain[name] = (chain[before] if before else []) + [name]
    last = max(finish, key=finish.get)
    intervals = [(finish[n] - sleeps[n], finish[n]) for n in sleeps]
    width = max(sum(1 for s, f in intervals if s <= start < f) for start, _ in intervals)
    return finish[last], chain[last], width


def list_schedule(sleeps: dict, requires: dict, jobs: int) -> float:
    """Makespan of pkgtree's rule without any overhead: whenever a slot is free, start the
    first ready package in plan order. Against the bound, it shows what the order costs."""
    order, finish, running, now = topological(requires), {}, [], 0.0
    waiting = list(order)
    while waiting or running:
        for name in [n for n in waiting if all(r in finish and finish[r] <= now for r in requires[n])]:
            if len(running) < jobs:
                running.append((now + sleeps[name], name))
                waiting.remove(name)
        running.sort()
        now, name = running.pop(0)
        finish[name] = now
    return now


class Run:
    def __init__(self, jobs: int, path: str, sleeps: dict, requires: dict):
        self.jobs, self.path = jobs, path
        self.started, self.finished, self.seconds, self.problems = {}, {}, {}, []
        self.wall, self.summary = None, None
        with open(path) as handle:
            for line in handle:
                event = json.loads(line)
                kind = event["event"]
                if kind == "started":
                    self.started[event["package"]] = event["t"]
                elif kind == "finished":
                    self.finished[event["package"]] = event["t"]
                    self.seconds[event["package"]] = event["seconds"]
                elif kind == "summary":
                    self.summary = event
                elif kind == "exit":
                    self.wall = event["t"]
                    if event["status"] != 0:
                        self.problems.append(f"exit status {event['status']}")
                elif kind in ("failed", "skipped", "cached"):
                    self.problems.append(f"{event['package']} {kind}")
        missing = [n for n in sleeps if n not in self.started or n not in self.finished]
        self.complete = not missing
        if missing:
            self.problems.append(f"no started/finished events for {len(missing)} packages, such as {missing[0]}")
            return
        self.violations = [n for n in sleeps for r in requires[n] if self.started[n] < self.finished[r]]
        self.problems += [f"{n} started before a requirement finished" for n in self.violations]
        # When each package could start: its last requirement finished (or the first start).
        first = min(self.started.values())
        self.ready = {n: max((self.finished[r] for r in requires[n]), default=first) for n in sleeps}
        self.build_overhead = [self.seconds[n] - sleeps[n] for n in sleeps]
        # Between the started event and the task's own clock, and its end and the finished event.
        self.dispatch = [self.finished[n] - self.started[n] - self.seconds[n] for n in sleeps]

    def running(self, at: float) -> int:
        return sum(1 for n in self.started if self.started[n] <= at < self.finished[n])

    def free_slot_wait(self, name: str) -> float:
        """Time a package was ready while fewer than J builds ran: zero for a scheduler that
        never leaves a slot idle while something is ready."""
        ready, started = self.ready[name], self.started[name]
        events = [*self.started.values(), *self.finished.values()]
        marks = sorted({ready, started, *(t for t in events if ready < t < started)})
        return sum(b - a for a, b in zip(marks, marks[1:]) if self.running(a) < self.jobs)


def main() -> int:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if sys.argv[1] == "--width":
        print(critical_path(*load_tree(sys.argv[2]))[2])
        return 0
    tree = sys.argv[1]
    sleeps, requires = load_tree(tree)
    path_seconds, chain, width = critical_path(sleeps, requires)
    total, count = sum(sleeps.values()), len(sleeps)
    runs = [Run(int(arg.split("=", 1)[0]), arg.split("=", 1)[1], sleeps, requires) for arg in sys.argv[2:]]

    print(f"{count} packages, sleeps {min(sleeps.values()):.1f}-{max(sleeps.values()):.1f} s, total {total:.1f} s; "
          f"critical path {path_seconds:.1f} s through {len(chain)} packages ({' > '.join(chain)}); "
          f"width (peak concurrency when every package starts once ready) {width}\n")
    print("| -j | bound (s) | bound is | plan-order schedule, no overhead (s) | makespan (s) | makespan / bound "
          "| overhead per package (s) "
          "| build overhead mean / max (s) | dispatch max (s) | to first start (s) | ready-to-start max (s) "
          "| idle slot while ready max (s) | order violations |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for run in runs:
        if not run.complete:
            print(f"| {run.jobs} | run incomplete: {'; '.join(run.problems[:3])} |")
            failed = True
            continue
        failed = failed or bool(run.problems)
        bound = max(path_seconds, total / run.jobs)
        kind, serial = ("critical path", len(chain)) if bound == path_seconds else ("total / j", count / run.jobs)
        waits = {n: run.started[n] - run.ready[n] for n in sleeps if requires[n]}
        idle = max(run.free_slot_wait(n) for n in sleeps if requires[n])
        print(f"| {run.jobs} | {bound:.1f} | {kind} | {list_schedule(sleeps, requires, run.jobs):.1f} "
              f"| {run.wall:.1f} | {run.wall / bound:.3f} "
              f"| {(run.wall - bound) / serial:.2f} "
              f"| {sum(run.build_overhead) / count:.2f} / {max(run.build_overhead):.2f} "
              f"| {max(run.dispatch):.3f} | {min(run.started.values()):.2f} | {max(waits.values()):.3f} "
              f"| {idle:.3f} | {len(run.violations)} |")
    for run in runs:
        for problem in run.problems[:5]:
            print(f"\n-j {run.jobs}: {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
