package dev.ghostgym.abi;

/**
 * One message as an agent reads it, in a reused mutable holder: the fields the agents act on,
 * filled either in place from a queue ring (the live agents' decoder, which then allocates nothing
 * per message, as ghOSt's C++ agents read messages in place with {@code Peek}/{@code Consume}) or
 * from a {@link Message} record ({@link #set}: the simulator's messages, and the message types not
 * decoded in place). Valid until it is filled again.
 *
 * <p>Fields a type does not carry read 0/false: {@link #gtid()} for task messages, {@link #cpu()}
 * for CPU messages and the task messages that name a CPU (yield, preempt, blocked, departed, dead),
 * {@link #runtime()} for new, yield, preempt and blocked, {@link #runnable()}, {@link #nice()} and
 * the status word for TASK_NEW, {@link #deferrable()} for TASK_WAKEUP, {@link #fromSwitchto()} for
 * yield, preempt, blocked and departed. {@link #record()} is the record it was filled from, or null
 * when it was decoded in place.
 */
public final class MessageView {
  private MessageType type;
  private int seqnum;
  private long gtid;
  private long runtime;
  private int cpu;
  private int nice;
  private boolean runnable;
  private boolean deferrable;
  private boolean fromSwitchto;
  private int swId;
  private int swIndex;
  private Message record;

  public MessageType type() {
    return type;
  }

  public int seqnum() {
    return seqnum;
  }

  public long gtid() {
    return gtid;
  }

  public long runtime() {
    return runtime;
  }

  public int cpu() {
    return cpu;
  }

  public int nice() {
    return nice;
  }

  public boolean runnable() {
    return runnable;
  }

  public boolean deferrable() {
    return deferrable;
  }

  public boolean fromSwitchto() {
    return fromSwitchto;
  }

  /** TASK_NEW: the status word's region id. */
  public int swId() {
    return swId;
  }

  /** TASK_NEW: the status word's index in its region. */
  public int swIndex() {
    return swIndex;
  }

  /** The record this view was filled from, or null when it was decoded in place. */
  public Message record() {
    return record;
  }

  /** Starts filling a message decoded in place: every field cleared. */
  public MessageView reset(MessageType type, int seqnum) {
    this.type = type;
    this.seqnum = seqnum;
    gtid = 0;
    runtime = 0;
    cpu = 0;
    nice = 0;
    runnable = false;
    deferrable = false;
    fromSwitchto = false;
    swId = 0;
    swIndex = 0;
    record = null;
    return this;
  }

  public MessageView task(long gtid, long runtime, int cpu, boolean fromSwitchto) {
    this.gtid = gtid;
    this.runtime = runtime;
    this.cpu = cpu;
    this.fromSwitchto = fromSwitchto;
    return this;
  }

  public MessageView taskNew(boolean runnable, int nice, int swId, int swIndex) {
    this.runnable = runnable;
    this.nice = nice;
    this.swId = swId;
    this.swIndex = swIndex;
    return this;
  }

  public MessageView deferrable(boolean deferrable) {
    this.deferrable = deferrable;
    return this;
  }

  /** Fills the view from {@code m} (kept as {@link #record()}). */
  public MessageView set(Message m) {
    reset(m.type(), m.seqnum());
    record = m;
    Payload p = m.payload();
    if (p instanceof TaskNew t) {
      task(t.gtid(), t.runtime(), 0, false)
          .taskNew(t.runnable(), t.nice(), t.swInfo().id(), t.swInfo().index());
    } else if (p instanceof TaskWakeup t) {
      task(t.gtid(), 0, 0, false).deferrable(t.deferrable());
    } else if (p instanceof TaskYield t) {
      task(t.gtid(), t.runtime(), t.cpu(), t.fromSwitchto());
    } else if (p instanceof TaskPreempt t) {
      task(t.gtid(), t.runtime(), t.cpu(), t.fromSwitchto());
    } else if (p instanceof TaskBlocked t) {
      task(t.gtid(), t.runtime(), t.cpu(), t.fromSwitchto());
    } else if (p instanceof TaskDeparted t) {
      task(t.gtid(), 0, t.cpu(), t.fromSwitchto());
    } else if (p instanceof TaskDead t) {
      task(t.gtid(), 0, t.cpu(), false);
    } else if (p instanceof TaskPayload t) {
      task(t.gtid(), 0, 0, false);
    } else if (p instanceof CpuPayload c) {
      cpu = c.cpu();
    }
    return this;
  }
}
