package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulate command: its JSON report, determinism, and its answers to bad input. */
class SimulateCommandTest {

  @Test
  void jsonReportHasTheDocumentedFieldsAndAccountsForEveryTask() {
    Cli r =
        Cli.run("simulate", "--workload", "mmc", "--cpus", "2", "--tasks", "3000", "--json", "-");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("{"), "JSON alone on stdout");
    assertEquals("mmc", r.field("workload"));
    assertEquals("fifo", r.field("policy"));
    assertEquals("2", r.field("cpus"));
    assertEquals("1", r.field("seed"));
    assertEquals("3000", r.field("tasks_arrived"));
    assertEquals("3000", r.field("tasks_completed"));
    for (String k :
        new String[] {
          "response_us", "wait_us", "txn_outcomes", "utilization", "throughput_per_s"
        }) {
      assertTrue(r.out().contains("\"" + k + "\""), k);
    }
    assertTrue(
        r.out()
            .matches(
                "(?s).*\"response_us\": \\{\\s*\"count\": 3000,\\s*\"mean\": [0-9.]+,\\s*\"p50\": [0-9.]+,\\s*\"p99\": [0-9.]+,\\s*\"p999\": [0-9.]+.*"),
        "response_us has mean, p50, p99, p999");
    assertEquals(64, r.field("trace_sha256").length());
    double util = Double.parseDouble(r.field("utilization"));
    assertTrue(util > 0.55 && util < 0.85, "utilization near load 0.7: " + util);
  }

  @Test
  void sameSeedSameTraceDifferentSeedDifferentTrace() {
    String[] base = {
      "simulate", "--workload", "rocksdb-shinjuku", "--cpus", "4", "--tasks", "5000", "--json", "-"
    };
    Cli a = Cli.run(concat(base, "--seed", "11"));
    Cli b = Cli.run(concat(base, "--seed", "11"));
    Cli c = Cli.run(concat(base, "--seed", "12"));
    assertEquals(a.field("trace_sha256"), b.field("trace_sha256"));
    // The whole report is the same, every metric included; only the wall-clock time may differ.
    assertEquals(
        a.out().replaceAll("\"wall_seconds\": [0-9.]+", ""),
        b.out().replaceAll("\"wall_seconds\": [0-9.]+", ""));
    assertNotEquals(a.field("trace_sha256"), c.field("trace_sha256"));
  }

  @Test
  void actorsAndPlainCallsGiveTheSameRun() {
    String[] base = {
      "simulate", "--workload", "rocksdb-shinjuku", "--cpus", "4", "--tasks", "5000", "--json", "-"
    };
    for (String policy : new String[] {"fifo", "shinjuku"}) {
      Cli actors = Cli.run(concat(base, "--policy", policy));
      Cli plain = Cli.run(concat(base, "--policy", policy, "--deployment", "plain"));
      assertEquals(0, actors.code(), actors.err());
      assertEquals("actors", actors.field("deployment"));
      assertEquals("plain", plain.field("deployment"));
      assertEquals("0", actors.field("agent_restarts"));
      assertEquals("0", actors.field("enclave_failures"));
      assertEquals(plain.field("trace_sha256"), actors.field("trace_sha256"), policy);
    }
    assertEquals(2, Cli.run("simulate", "--deployment", "threads", "--tasks", "10").code());
  }

  @Test
  void setOverridesAreTakenAsWritten() {
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "mmc",
            "--cpus",
            "1",
            "--tasks",
            "2000",
            "--overheads",
            "none",
            "--set",
            "load=0.3",
            "--set",
            "service=mix(0.5:const(100us),0.5:const(300us))",
            "--json",
            "-");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("\"service\": \"mix(0.5:const(100us),0.5:const(300us))\""), r.out());
    double util = Double.parseDouble(r.field("utilization"));
    assertEquals(0.3, util, 0.05);
  }

  @Test
  void summaryIsReadable(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("r.json");
    Cli r = Cli.run("simulate", "--workload", "mmc", "--tasks", "1000", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("tasks: 1,000 arrived = 1,000 completed + 0 departed + 0 running"),
        r.out());
    assertTrue(r.out().contains("response"), r.out());
    assertTrue(Files.readString(json).contains("\"trace_sha256\""));
  }

  @Test
  void taskLogHasOneRowPerFinishedTaskConsistentWithTheReport(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("tasks.csv");
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "mmc",
            "--cpus",
            "2",
            "--tasks",
            "500",
            "--overheads",
            "none",
            "--task-log",
            log.toString(),
            "--json",
            "-");
    assertEquals(0, r.code(), r.err());
    var lines = Files.readAllLines(log);
    assertEquals(
        "gtid,class,hint,departed,arrival_ns,first_run_ns,end_ns,response_ns,wait_ns,runtime_ns,preemptions,migrations",
        lines.get(0));
    assertEquals(501, lines.size());
    double sum = 0;
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      long arrival = Long.parseLong(f[4]), first = Long.parseLong(f[5]), end = Long.parseLong(f[6]);
      long wait = Long.parseLong(f[8]), runtime = Long.parseLong(f[9]);
      assertTrue(arrival <= first && first <= end, l);
      // With ideal agents a task is either waiting or running: response = wait + runtime.
      assertEquals(end - arrival, wait + runtime, l);
      sum += end - arrival;
    }
    double meanUs = sum / 500 / 1e3;
    var m =
        Pattern.compile("\"response_us\": \\{\\s*\"count\": 500,\\s*\"mean\": ([0-9.]+)")
            .matcher(r.out());
    assertTrue(m.find(), r.out());
    assertEquals(meanUs, Double.parseDouble(m.group(1)), 1e-3 * meanUs + 0.01);
  }

  @Test
  void policyParametersOraclesAndFallbacksAreReported() {
    Cli srpt =
        Cli.run(
            "simulate", "--workload", "mmc", "--policy", "srpt", "--tasks", "2000", "--json", "-");
    assertEquals(0, srpt.code(), srpt.err());
    assertEquals("true", srpt.field("oracle"));
    Cli slow =
        Cli.run(
            "simulate",
            "--workload",
            "mmc",
            "--policy",
            "shinjuku",
            "--tasks",
            "2000",
            "--set",
            "policy.slice=10us",
            "--set",
            "policy.cost=5us",
            "--set",
            "policy.deadline=2us",
            "--json",
            "-");
    assertEquals(0, slow.code(), slow.err());
    assertEquals("false", slow.field("oracle"));
    assertTrue(slow.out().contains("\"slice\": \"10us\""), slow.out());
    assertTrue(
        slow.out().matches("(?s).*\"fallbacks\": \\{\\s*\"timeout\": [1-9][0-9]*\\s*}.*"),
        slow.out());
    Cli bad = Cli.run("simulate", "--policy", "fifo", "--set", "policy.slice=1ms", "--tasks", "10");
    assertEquals(2, bad.code());
    assertTrue(
        bad.err().contains("policy.slice") && bad.err().contains("policy.deadline"), bad.err());
  }

  @Test
  void policiesListsEveryPolicyAndMarksOracles() {
    Cli r = Cli.run("policies");
    assertEquals(0, r.code());
    for (String p :
        new String[] {
          "fifo",
          "centralized-fifo",
          "rr",
          "shinjuku",
          "shinjuku-paper",
          "cfs",
          "edf",
          "sjf",
          "srpt",
          "random"
        }) {
      assertTrue(r.out().contains(p + " "), p);
    }
    // Which Shinjuku is which: ghost-userspace's agent, and the paper's description.
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("shinjuku ") && l.contains("ghost-userspace")),
        r.out());
    assertTrue(
        r.out().lines().anyMatch(l -> l.startsWith("shinjuku-paper ") && l.contains("paper")),
        r.out());
    assertTrue(
        r.out()
            .lines()
            .filter(l -> l.startsWith("srpt") || l.startsWith("sjf"))
            .allMatch(l -> l.contains("ORACLE")));
  }

  @Test
  void unknownWorkloadListsTheBuiltins() {
    Cli r = Cli.run("simulate", "--workload", "nope", "--tasks", "10");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("nope") && r.err().contains("rocksdb-shinjuku") && r.err().contains("mmc"),
        r.err());
  }

  @Test
  void unknownPolicyListsThePolicies() {
    Cli r = Cli.run("simulate", "--policy", "magic", "--tasks", "10");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("policy")
            && r.err().contains("magic")
            && r.err().contains("centralized-fifo"),
        r.err());
  }

  @Test
  void negativeLoadNamesTheField() {
    Cli r = Cli.run("simulate", "--workload", "mmc", "--set", "load=-0.5", "--tasks", "10");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("load"), r.err());
  }

  @Test
  void badDistributionNamesTheFieldAndTheGrammar() {
    Cli r = Cli.run("simulate", "--workload", "mmc", "--set", "service=expo(1ms)", "--tasks", "10");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("service") && r.err().contains("exp(") && r.err().contains("expo(1ms)"),
        r.err());
  }

  @Test
  void malformedHoconReportsFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(
        f,
        "description = \"x\"\nload = 0.5\nsources {\n  req { arrival { type = poisson load = } }\n");
    Cli r = Cli.run("simulate", "--workload", f.toString(), "--tasks", "10");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("bad.conf") && r.err().matches("(?s).*bad\\.conf:\\s*\\d+.*"), r.err());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, Cli.run("simulate", "--no-such-option").code());
    assertEquals(2, Cli.run("simulate", "--cpus", "zero").code());
    assertEquals(2, Cli.run("simulate", "--set", "novalue", "--tasks", "10").code());
    assertEquals(2, Cli.run("simulate", "--overheads", "some", "--tasks", "10").code());
    Cli unknownKey = Cli.run("simulate", "--workload", "mmc", "--set", "lod=0.5", "--tasks", "10");
    assertEquals(2, unknownKey.code());
    assertTrue(
        unknownKey.err().contains("lod") && unknownKey.err().contains("load"), unknownKey.err());
  }

  @Test
  void workloadsListsEveryBuiltinWithParameters() {
    Cli r = Cli.run("workloads");
    assertEquals(0, r.code());
    for (String w :
        new String[] {
          "mmc",
          "rocksdb-shinjuku",
          "rocksdb-paper",
          "centralized-queuing",
          "antagonist",
          "batch-mix",
          "seed-single-exp",
          "seed-simple-exp",
          "seed-yield-exp",
          "seed-depart-exp",
          "rocksdb-pool",
          "rocksdb-hinted-pool",
          "rocksdb-paper-pool",
          "centralized-queuing-pool"
        }) {
      assertTrue(r.out().contains(w), w);
    }
    assertTrue(r.out().contains("load = 0.7"), r.out());
    assertTrue(r.out().contains("workers = 200"), r.out());
  }

  // A worker pool at light load (10us requests, 4 CPUs): 8 workers announce themselves once
  // (TASK_NEW), then every
  // request is one TASK_WAKEUP and one TASK_BLOCKED; no thread ever dies.
  @Test
  void poolWorkloadMessagesAreAWakeupAndABlockPerRequest() {
    Cli r =
        Cli.run(
            "simulate",
            "--workload",
            "rocksdb-pool",
            "--cpus",
            "4",
            "--tasks",
            "2000",
            "--set",
            "workers=8",
            "--set",
            "load=0.2",
            "--set",
            "service=const(10us)",
            "--policy",
            "centralized-fifo",
            "--json",
            "-");
    assertEquals(0, r.code(), r.err());
    assertEquals("2000", r.field("tasks_completed"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"messages_by_type\": \\{([^}]*)}").matcher(r.out());
    assertTrue(m.find(), r.out());
    String counts = m.group(1);
    assertTrue(counts.matches("(?s).*\"TASK_NEW\": 8\\b.*"), counts);
    assertFalse(counts.contains("TASK_DEAD"), counts);
    long wakeups = Long.parseLong(counts.replaceAll("(?s).*\"TASK_WAKEUP\": (\\d+).*", "$1"));
    long blocks = Long.parseLong(counts.replaceAll("(?s).*\"TASK_BLOCKED\": (\\d+).*", "$1"));
    assertTrue(wakeups > 1900 && wakeups <= 2000, "about one wakeup per request: " + wakeups);
    assertEquals(wakeups + 8, blocks, "one block per wakeup, plus each worker's first");
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
