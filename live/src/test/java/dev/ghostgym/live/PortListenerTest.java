package dev.ghostgym.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PortListener#both}: live metrics and a timeline recorder watch the same ports, so every
 * call reaches both, and the ports decode records when either needs them.
 */
class PortListenerTest {

  /** Records what it hears; {@code records}: whether it asks for records. */
  private static final class Heard implements PortListener {
    final List<String> calls = new ArrayList<>();
    final boolean records;

    Heard(boolean records) {
      this.records = records;
    }

    @Override
    public void message(int cpu, MessageView m, long nowNs) {
      calls.add("view " + m.type() + " on " + cpu + " at " + nowNs);
    }

    @Override
    public void txn(int cpu, long gtid, int state, long commitTimeNs) {
      calls.add("txn " + cpu + " " + gtid + " " + state + " " + commitTimeNs);
    }

    @Override
    public void passBegin(int cpu, long nowNs) {
      calls.add("begin " + cpu + " " + nowNs);
    }

    @Override
    public void passEnd(int cpu, long nowNs) {
      calls.add("end " + cpu + " " + nowNs);
    }

    @Override
    public boolean wantsRecords() {
      return records;
    }
  }

  @Test
  void bothHearsEveryCallInPlaceDecodedMessagesIncluded() {
    Heard a = new Heard(false);
    Heard b = new Heard(false);
    PortListener l = PortListener.both(a, b);
    l.passBegin(2, 10);
    l.message(2, new MessageView().reset(MessageType.TASK_YIELD, 7), 11);
    l.txn(2, 99, 3, 12);
    l.passEnd(2, 13);
    List<String> expected =
        List.of("begin 2 10", "view TASK_YIELD on 2 at 11", "txn 2 99 3 12", "end 2 13");
    assertEquals(expected, a.calls);
    assertEquals(expected, b.calls);
  }

  @Test
  void bothWantsRecordsWhenEitherDoes() {
    assertFalse(PortListener.NONE.wantsRecords(), "metrics alone decode in place");
    assertFalse(PortListener.both(new Heard(false), new Heard(false)).wantsRecords());
    assertTrue(PortListener.both(new Heard(false), new Heard(true)).wantsRecords());
    assertTrue(PortListener.both(new Heard(true), new Heard(false)).wantsRecords());
  }
}
