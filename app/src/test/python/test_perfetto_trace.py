"""Reads `ghost-gym simulate --trace` files with Perfetto's own protos (the PyPI `perfetto` package).

ghost-gym writes the trace from a .proto subset with Perfetto's documented field numbers. Parsing it
here with Perfetto's complete `Trace` definition checks those numbers independently: a wrong number
would land in unknown fields or a wrong message. (The package's TraceProcessor needs a
trace_processor_shell binary downloaded at run time, which CI cannot do, so SQL is not checked here.)

Run from the repository root after the build: pytest app/src/test/python
"""
import os
import subprocess
from pathlib import Path

import pytest
from perfetto.protos.perfetto.trace import perfetto_trace_pb2 as pb

ROOT = Path(__file__).resolve().parents[4]


def simulate(tmp_path, *args):
    out = tmp_path / "run.perfetto-trace"
    subprocess.run([str(ROOT / "ghost-gym"), "simulate", "--trace", str(out), *args], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    trace = pb.Trace()
    trace.ParseFromString(out.read_bytes())
    return trace


def unknown(msg):
    """Fields Perfetto's protos do not know, anywhere in the message tree."""
    from google.protobuf import unknown_fields
    found = len(unknown_fields.UnknownFieldSet(msg))
    for field, value in msg.ListFields():
        if field.type != field.TYPE_MESSAGE:
            continue
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED
        for v in (value if repeated else [value]):
            found += unknown(v)
    return found


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    return simulate(tmp_path_factory.mktemp("single"), "--workload", "seed-single-exp", "--cpus", "2")


def test_every_field_is_one_perfetto_knows(single):
    assert len(single.packet) > 10
    assert sum(unknown(p) for p in single.packet) == 0


def test_sched_switch_chain_and_time_per_cpu(single):
    per_cpu = {}
    for p in single.packet:
        if p.HasField("ftrace_events"):
            per_cpu.setdefault(p.ftrace_events.cpu, []).extend(p.ftrace_events.event)
    assert sorted(per_cpu) == [0, 1]
    for cpu, events in per_cpu.items():
        times = [e.timestamp for e in events]
        assert times == sorted(times), f"cpu {cpu}: time goes back"
        switches = [e.sched_switch for e in events if e.HasField("sched_switch")]
        for a, b in zip(switches, switches[1:]):
            assert a.next_pid == b.prev_pid, f"cpu {cpu}"


def test_main_thread_sleeps_ten_times_and_is_woken_ten_times(single):
    sleeps = wakings = 0
    for p in single.packet:
        for e in p.ftrace_events.event if p.HasField("ftrace_events") else []:
            if e.HasField("sched_switch") and e.sched_switch.prev_pid == 1 and e.sched_switch.prev_state == 1:
                sleeps += 1
            if e.HasField("sched_waking") and e.sched_waking.pid == 1:
                wakings += 1
    assert (sleeps, wakings) == (10, 10)


def test_threads_tracks_and_events_are_named(single):
    names = {t.tid: t.name for p in single.packet if p.HasField("process_tree") for t in p.process_tree.threads}
    assert names[1] == "main-1"
    assert sum(1 for n in names.values() if n.startswith("child-")) == 10
    assert any(n.startswith("agent/") for n in names.values())
    tracks = [p.track_descriptor for p in single.packet if p.HasField("track_descriptor")]
    assert any(t.thread.tid == 1 and "class main" in t.description for t in tracks)
    assert any(t.HasField("counter") for t in tracks)
    kinds = {p.track_event.type for p in single.packet if p.HasField("track_event")}
    assert {pb.TrackEvent.TYPE_SLICE_BEGIN, pb.TrackEvent.TYPE_SLICE_END, pb.TrackEvent.TYPE_INSTANT,
            pb.TrackEvent.TYPE_COUNTER} <= kinds
