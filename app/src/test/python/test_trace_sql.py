"""A simulated trace and a live (emulated) trace answer the same trace-processor SQL the same way.

Perfetto's TraceProcessor (the PyPI `perfetto` package) runs a `trace_processor_shell` binary that it
downloads at run time; no package on PyPI or Debian ships that binary, so it cannot run offline (in
CI). Instead this test builds, from the traces parsed with Perfetto's own protos, the tables the
trace processor derives from the same packets, with its column names:

- `sched` (ts, dur, cpu, utid, end_state): one row per stretch a thread held a CPU, from each
  `sched_switch` to the next one on that CPU (a CPU's last stretch lasts until the trace's last
  event, its end_state unknown);
- `thread` (utid, tid, name, upid) and `process` (upid, pid, name): from the process tree;
- `thread_track` (id, utid) and `slice` (ts, dur, name, category, track_id): slices from the
  track events' begin/end pairs, instants with dur 0;
- `counter` (ts, value, track_id).

They are loaded into SQLite, and the same SQL text is asked of both traces. The traces come from
`simulate` on one run: once as the machine records it (`--deployment plain`), once as the live
agents observe it (`--deployment live-emulated`, the path of `live --trace`).

Run from the repository root after the build: pytest app/src/test/python
"""
import sqlite3
import subprocess
from pathlib import Path

import pytest
from perfetto.protos.perfetto.trace import perfetto_trace_pb2 as pb

ROOT = Path(__file__).resolve().parents[4]
RUN = ["--workload", "rocksdb-shinjuku", "--policy", "shinjuku", "--cpus", "3", "--tasks", "300",
       "--seed", "2"]
AGENTS = 1_000_000  # ghost-gym's agents are threads of pid 1,000,000 (tids above it)


def record(tmp_path, deployment):
    out = tmp_path / f"{deployment}.perfetto-trace"
    subprocess.run([str(ROOT / "ghost-gym"), "simulate", *RUN, "--deployment", deployment,
                    "--trace", str(out)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, cwd=ROOT)
    trace = pb.Trace()
    trace.ParseFromString(out.read_bytes())
    return tables(trace)


def tables(trace):
    """The trace processor's tables for these packets, in an in-memory SQLite database."""
    db = sqlite3.connect(":memory:")
    db.executescript("""
        create table sched (ts int, dur int, cpu int, utid int, end_state text);
        create table thread (utid int primary key, tid int, name text, upid int);
        create table process (upid int primary key, pid int, name text);
        create table thread_track (id int primary key, utid int);
        create table slice (ts int, dur int, name text, category text, track_id int);
        create table counter (ts int, value real, track_id int);
    """)
    per_cpu, open_slices = {}, {}
    end = max(max((p.timestamp for p in trace.packet), default=0),
              max((e.timestamp for p in trace.packet if p.HasField("ftrace_events")
                   for e in p.ftrace_events.event), default=0))
    for p in trace.packet:
        if p.HasField("process_tree"):
            for proc in p.process_tree.processes:
                db.execute("insert into process values (?, ?, ?)",
                           (proc.pid, proc.pid, " ".join(proc.cmdline)))
            for t in p.process_tree.threads:
                db.execute("insert into thread values (?, ?, ?, ?)", (t.tid, t.tid, t.name, t.tgid))
        if p.HasField("track_descriptor") and p.track_descriptor.HasField("thread"):
            d = p.track_descriptor
            db.execute("insert into thread_track values (?, ?)", (d.uuid, d.thread.tid))
        if p.HasField("ftrace_events"):
            per_cpu.setdefault(p.ftrace_events.cpu, []).extend(
                e for e in p.ftrace_events.event if e.HasField("sched_switch"))
        if p.HasField("track_event"):
            e = p.track_event
            if e.type == pb.TrackEvent.TYPE_SLICE_BEGIN:
                open_slices.setdefault(e.track_uuid, []).append((p.timestamp, e.name, e.categories))
            elif e.type == pb.TrackEvent.TYPE_SLICE_END:
                ts, name, cats = open_slices[e.track_uuid].pop()
                db.execute("insert into slice values (?, ?, ?, ?, ?)",
                           (ts, p.timestamp - ts, name, ",".join(cats), e.track_uuid))
            elif e.type == pb.TrackEvent.TYPE_INSTANT:
                db.execute("insert into slice values (?, 0, ?, ?, ?)",
                           (p.timestamp, e.name, ",".join(e.categories), e.track_uuid))
            elif e.type == pb.TrackEvent.TYPE_COUNTER:
                db.execute("insert into counter values (?, ?, ?)",
                           (p.timestamp, e.counter_value, e.track_uuid))
    states = {0: "R", 1: "S", 16: "X"}
    for cpu, switches in per_cpu.items():
        for a, b in zip(switches, switches[1:]):
            assert a.timestamp <= b.timestamp, f"cpu {cpu}: time goes back"
            assert a.sched_switch.next_pid == b.sched_switch.prev_pid, f"cpu {cpu}: broken chain"
            db.execute("insert into sched values (?, ?, ?, ?, ?)",
                       (a.timestamp, b.timestamp - a.timestamp, cpu, a.sched_switch.next_pid,
                        states.get(b.sched_switch.prev_state, "?")))
        last = switches[-1]
        db.execute("insert into sched values (?, ?, ?, ?, null)",
                   (last.timestamp, end - last.timestamp, cpu, last.sched_switch.next_pid))
    assert all(not s for s in open_slices.values()), "a slice begins and never ends"
    return db


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    d = tmp_path_factory.mktemp("sql")
    return record(d, "plain"), record(d, "live-emulated")


def ask(db, sql):
    return db.execute(sql).fetchall()


def test_sched_by_cpu(both):
    sim, live = both
    sql = "select cpu, count(*) from sched group by cpu order by cpu"
    for db in both:
        rows = dict(ask(db, sql))
        assert sorted(rows) == [0, 1, 2]
        # shinjuku's global agent spins on CPU 0 from its first activation on: one stretch there
        assert ask(db, "select distinct utid from sched where cpu = 0") == [(AGENTS + 1,)]
        assert rows[0] == 1 and rows[1] > 300 and rows[2] > 300, rows
    # time spent running tasks per CPU: the same in both (live runs start at the txn's commit,
    # at most one remote commit's latency before the kernel's switch, and last the kernel's runtime)
    busy = ("select cpu, sum(dur) from sched where utid > 0 and utid < %d group by cpu order by cpu"
            % AGENTS)
    assert ask(sim, busy) == ask(live, busy)


def test_every_task_runs_as_long_in_both(both):
    sim, live = both
    sql = ("select t.tid, sum(s.dur) from sched s join thread t using (utid) "
           "where t.upid = 1 group by t.tid order by t.tid")
    a, b = ask(sim, sql), ask(live, sql)
    assert len(a) == 300
    assert a == b


def test_threads_and_processes(both):
    for db in both:
        procs = dict(ask(db, "select pid, name from process"))
        assert procs[AGENTS] == "ghost-agent"
        tasks = ask(db, "select count(*) from thread where upid = 1")[0][0]
        assert tasks == 300
        agents = ask(db, "select name from thread where upid = %d order by tid" % AGENTS)
        assert [n for (n,) in agents] == ["agent/0", "agent/1", "agent/2"]
        # every thread that held a CPU is known by name (idle is swapper, utid 0)
        unnamed = ask(db, "select count(*) from sched s left join thread t using (utid) "
                          "where s.utid != 0 and t.name is null")[0][0]
        assert unnamed == 0
        exits = ask(db, "select count(distinct utid) from sched where end_state = 'X'")[0][0]
        assert exits == 300, "every task's last stretch ends in exit"


def test_agent_activations_and_txn_commits(both):
    sql_slices = ("select t.utid, count(*), min(s.dur) >= 0 from slice s "
                  "join thread_track t on s.track_id = t.id "
                  "where s.name = 'activation' group by t.utid order by t.utid")
    sql_txns = ("select name, count(*) from slice where category = 'txn' "
                "group by name order by name")
    sim, live = both
    assert ask(sim, sql_slices) == ask(live, sql_slices)
    assert all(utid > AGENTS and ok for utid, _, ok in ask(sim, sql_slices))
    assert ask(sim, sql_txns) == ask(live, sql_txns)
    assert sum(n for _, n in ask(sim, sql_txns)) >= 300
    for db in both:
        n, non_negative = ask(db, "select count(*), min(value) >= 0 from counter")[0]
        assert n > 100 and non_negative
