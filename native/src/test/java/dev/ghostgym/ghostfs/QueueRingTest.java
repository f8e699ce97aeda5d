package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's producer rules and the agent's consumer over one ring, in the real queue layout. */
class QueueRingTest {

  private static final AbiVersion V91 = AbiVersion.V91;
  private static final int MSGS = 76;

  /**
   * A mapping exactly as long as header + indices + slots, so the last slot ends at the buffer's
   * end.
   */
  private static ByteBuffer queue(int nelems, int counter) {
    ByteBuffer b = ByteBuffer.allocateDirect(MSGS + nelems * 8);
    RingProducer.format(b, nelems, counter);
    return b;
  }

  @Test
  void formatWritesTheRealHeader() {
    ByteBuffer b = queue(16, 0);
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0, le.getInt(0), "version");
    assertEquals(64, le.getInt(4), "start");
    assertEquals(16, le.getInt(8), "nelems");
    assertEquals(0, le.getInt(64), "head");
    assertEquals(0, le.getInt(68), "tail");
    assertEquals(0, le.getInt(72), "overflow");
    assertEquals(16, new QueueRing(b, V91).nelems());
  }

  @Test
  void messagesComeOutInOrderAndTheCountersAdvanceBySlots() {
    ByteBuffer b = queue(64, 0);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    List<Message> sent = new ArrayList<>();
    int slots = 0;
    for (MessageType t : MessageType.values()) {
      if (t != MessageType.NOP && slots + t.slots(V91) <= 64) {
        Message m = Samples.of(t, V91, sent.size());
        assertTrue(producer.produce(m), t.name());
        sent.add(m);
        slots += t.slots(V91);
      }
    }
    assertEquals(slots, ring.head());
    assertEquals(0, ring.tail());
    List<Message> got = new ArrayList<>();
    assertEquals(sent.size(), ring.drain(got::add));
    assertEquals(sent, got);
    assertEquals(slots, ring.tail());
    assertTrue(ring.isEmpty());
    assertNull(ring.poll());
  }

  // pollInto (the live agents' in-place decoding) takes the same messages in the same order as
  // poll, skips the NOP padding at the wrap, and advances the tail the same way.
  @Test
  void pollIntoTakesTheSameMessagesAsPollAcrossWraps() {
    ByteBuffer b = queue(16, 0);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    MessageView view = new MessageView();
    MessageView expected = new MessageView();
    MessageType[] types = {
      MessageType.TASK_NEW, MessageType.TASK_WAKEUP, MessageType.TASK_YIELD, MessageType.CPU_TICK
    };
    for (int i = 0; i < 40; i++) {
      Message m = Samples.of(types[i % types.length], V91, i % 3);
      assertTrue(producer.produce(m), "room for message " + i);
      assertTrue(ring.pollInto(view), "message " + i);
      expected.set(m);
      assertEquals(expected.type(), view.type(), "message " + i);
      assertEquals(expected.seqnum(), view.seqnum(), "message " + i);
      assertEquals(expected.gtid(), view.gtid(), "message " + i);
      assertEquals(expected.cpu(), view.cpu(), "message " + i);
      assertEquals(ring.head(), ring.tail(), "consumed, NOPs included");
    }
    assertFalse(ring.pollInto(view));
  }

  @Test
  void aMessageThatDoesNotFitTheTailGoesToSlotZeroAfterANop() {
    ByteBuffer b = queue(16, 0);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    // 5 + 6 slots: head at 11, leaving 5 slots before the end; TASK_NEW needs 7.
    producer.produce(Samples.of(MessageType.TASK_BLOCKED, V91, 0));
    producer.produce(Samples.of(MessageType.TASK_PREEMPT, V91, 0));
    assertEquals(2, ring.drain(m -> {}));
    assertEquals(11, ring.tail());
    Message taskNew = Samples.of(MessageType.TASK_NEW, V91, 0);
    assertEquals(7, MessageType.TASK_NEW.slots(V91));
    assertTrue(producer.produce(taskNew));
    assertEquals(11 + 5 + 7, ring.head(), "head advances by skipped + needed");
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int nopAt = MSGS + 11 * 8;
    assertEquals(0, le.getShort(nopAt), "NOP type at slot 11");
    assertEquals(5 * 8, le.getShort(nopAt + 2), "NOP spans the 5 tail slots");
    assertEquals(b.capacity(), nopAt + 5 * 8, "the NOP ends exactly at the end of the buffer");
    assertEquals(67, le.getShort(MSGS), "TASK_NEW at slot 0");
    assertEquals(56, le.getShort(MSGS + 2));
    assertEquals(taskNew, ring.poll(), "the consumer skips the NOP");
    assertEquals(23, ring.tail());
    assertTrue(ring.isEmpty());
  }

  @Test
  void aMessageEndingExactlyAtTheEndNeedsNoNop() {
    ByteBuffer b = queue(16, 0);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    producer.produce(Samples.of(MessageType.TASK_BLOCKED, V91, 0)); // 5
    producer.produce(Samples.of(MessageType.CPU_TICK, V91, 0)); // 7
    producer.produce(Samples.of(MessageType.CPU_TICK, V91, 1)); // 9
    assertEquals(3, ring.drain(m -> {}));
    Message taskNew = Samples.of(MessageType.TASK_NEW, V91, 1);
    assertTrue(producer.produce(taskNew));
    assertEquals(16, ring.head(), "slots 9..15, no padding");
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(67, le.getShort(MSGS + 9 * 8));
    assertEquals(taskNew, ring.poll());
    assertTrue(producer.produce(taskNew));
    assertEquals(67, le.getShort(MSGS), "the next one starts at slot 0");
  }

  @Test
  void noRoomCountsAnOverflowDropsTheMessageAndTheConsumerFails() {
    ByteBuffer b = queue(8, 0);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    assertTrue(producer.produce(Samples.of(MessageType.TASK_NEW, V91, 0))); // 7 of 8
    assertFalse(producer.produce(Samples.of(MessageType.CPU_TICK, V91, 0))); // needs 2, 1 free
    assertFalse(producer.produce(Samples.of(MessageType.TASK_DEAD, V91, 0)));
    assertEquals(2, producer.overflow());
    assertEquals(2, ring.overflow());
    assertEquals(7, ring.head(), "dropped messages do not move head");
    QueueOverflowException e = assertThrows(QueueOverflowException.class, ring::poll);
    assertEquals(2, e.dropped());
    assertTrue(
        e.getMessage()
            .startsWith(
                "ghOSt queue overflow: the kernel dropped 2 message(s) because all 8"
                    + " slots were full"),
        e.getMessage());
    assertEquals(0, ring.tail(), "nothing consumed after the overflow");
  }

  @Test
  void wrapWithoutRoomAtTheStartOverflowsToo() {
    ByteBuffer b = queue(16, 0);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    producer.produce(Samples.of(MessageType.TASK_BLOCKED, V91, 0)); // 0..4
    producer.produce(Samples.of(MessageType.TASK_PREEMPT, V91, 0)); // 5..10
    ring.poll(); // tail 5: 10 slots free, but only 5 at the end and 5 at the start
    assertTrue(producer.fits(MessageType.TASK_BLOCKED), "5 slots fit exactly before the end");
    assertFalse(
        producer.fits(MessageType.TASK_PREEMPT), "6 slots need a 5-slot NOP first: 11 > 10 free");
    assertFalse(producer.fits(MessageType.TASK_NEW));
    assertEquals(0, producer.overflow(), "fits() counts nothing");
    assertFalse(
        producer.produce(Samples.of(MessageType.TASK_NEW, V91, 0)), "5 skipped + 7 > 10 free");
    assertEquals(1, producer.overflow());
    assertEquals(11, ring.head());
  }

  @Test
  void freeRunningCountersCrossTwoToThe32() {
    int start = -37; // 0xFFFFFFDB: 37 slots before the u32 counters wrap
    ByteBuffer b = queue(16, start);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    assertEquals(start, ring.head());
    List<Message> sent = new ArrayList<>();
    List<Message> got = new ArrayList<>();
    MessageType[] cycle = {
      MessageType.TASK_NEW,
      MessageType.TASK_WAKEUP,
      MessageType.CPU_TICK,
      MessageType.TASK_PREEMPT,
      MessageType.TASK_DEAD
    };
    boolean sawHeadWrappedBeforeTail = false;
    for (int i = 0; i < 100; i++) {
      Message m = Samples.of(cycle[i % cycle.length], V91, i);
      if (!producer.fits(m.type())) {
        ring.drain(got::add);
      }
      assertTrue(producer.produce(m));
      sent.add(m);
      int head = ring.head();
      int tail = ring.tail();
      sawHeadWrappedBeforeTail |= Integer.compareUnsigned(head, tail) < 0;
      if (i % 3 == 2) {
        ring.drain(got::add);
      }
    }
    ring.drain(got::add);
    assertEquals(sent, got);
    assertEquals(0, producer.overflow());
    assertTrue(
        sawHeadWrappedBeforeTail, "head passed 2^32 while tail had not (head < tail unsigned)");
    assertEquals(ring.head(), ring.tail());
    assertTrue(
        Integer.compareUnsigned(ring.tail(), 1000) < 0,
        "tail wrapped to a small value: " + Integer.toUnsignedString(ring.tail()));
    long advanced = (ring.tail() - start) & 0xffffffffL;
    assertTrue(advanced > 37, "counters moved past the wrap point: " + advanced);
  }

  @Test
  void corruptLengthsAndBadHeadersAreNamed() {
    ByteBuffer b = queue(16, 0);
    RingProducer producer = new RingProducer(b, V91);
    producer.produce(Samples.of(MessageType.CPU_TICK, V91, 0));
    b.duplicate().order(ByteOrder.LITTLE_ENDIAN).putShort(MSGS + 2, (short) 0);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new QueueRing(b, V91).poll());
    assertTrue(
        e.getMessage().startsWith("corrupt ghOSt queue: message at slot 0 has length 0"),
        e.getMessage());

    ByteBuffer bad = ByteBuffer.allocateDirect(MSGS + 12 * 8);
    bad.duplicate().order(ByteOrder.LITTLE_ENDIAN).putInt(4, 64).putInt(8, 12);
    IllegalArgumentException h =
        assertThrows(IllegalArgumentException.class, () -> new QueueRing(bad, V91));
    assertTrue(h.getMessage().contains("nelems is 12; expected a power of two"), h.getMessage());
    IllegalArgumentException heap =
        assertThrows(
            IllegalArgumentException.class, () -> new QueueRing(ByteBuffer.allocate(1024), V91));
    assertTrue(heap.getMessage().contains("direct ByteBuffer"), heap.getMessage());
    IllegalArgumentException small =
        assertThrows(
            IllegalArgumentException.class,
            () -> RingProducer.format(ByteBuffer.allocateDirect(MSGS + 8 * 8), 16));
    assertTrue(
        small.getMessage().contains("needs 204 bytes but the mapping has 140"), small.getMessage());
  }

  @Test
  void producerAndConsumerOnTwoThreads() throws Exception {
    ByteBuffer b = queue(32, -100);
    RingProducer producer = new RingProducer(b, V91);
    QueueRing ring = new QueueRing(b, V91);
    int n = 20_000;
    Thread kernel =
        new Thread(
            () -> {
              for (int i = 0; i < n; i++) {
                Message m =
                    Samples.of(
                        i % 2 == 0 ? MessageType.TASK_NEW : MessageType.TASK_BLOCKED,
                        V91,
                        i % 1000);
                while (!producer.fits(m.type())) {
                  Thread
                      .yield(); // not onSpinWait: two spinners on a busy 2-core machine starve each
                  // other
                }
                assertTrue(producer.produce(m));
              }
            });
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    kernel.start();
    int received = 0;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (received < n && System.nanoTime() < deadline) {
      Message m = ring.poll();
      if (m == null) {
        Thread.yield();
      } else {
        Message expected =
            Samples.of(
                received % 2 == 0 ? MessageType.TASK_NEW : MessageType.TASK_BLOCKED,
                V91,
                received % 1000);
        assertEquals(expected, m, "message " + received);
        received++;
      }
    }
    kernel.join(5000);
    assertEquals(n, received);
    assertEquals(0, ring.overflow());
    assertEquals(le.getInt(64), le.getInt(68));
  }

  @Test
  void isEmptyFollowsTheCounters() {
    ByteBuffer b = queue(16, 0);
    QueueRing ring = new QueueRing(b, V91);
    assertTrue(ring.isEmpty());
    new RingProducer(b, V91).produce(Samples.of(MessageType.CPU_TICK, V91, 0));
    assertFalse(ring.isEmpty());
    ring.poll();
    assertTrue(ring.isEmpty());
  }

  // A message the kernel could not have written: it would run past the last slot.
  @Test
  void aMessageCrossingTheEndOfTheRingIsCorrupt() {
    ByteBuffer b = queue(16, 15);
    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int slot15 = MSGS + 15 * 8;
    le.putShort(slot15, (short) MessageType.CPU_TICK.number());
    le.putShort(slot15 + 2, (short) 16); // two slots, from the last one
    le.putInt(64, 17); // head: two slots produced
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new QueueRing(b, V91).poll());
    assertTrue(
        e.getMessage().startsWith("corrupt ghOSt queue: message at slot 15 has length 16"),
        e.getMessage());
  }

  @Test
  void theLargestQueueIsAcceptedAndOneSlotMoreIsNot() {
    ByteBuffer big = ByteBuffer.allocateDirect(MSGS + 65536 * 8);
    RingProducer.format(big, 65536);
    assertEquals(65536, new QueueRing(big, V91).nelems());
    ByteBuffer tooBig = ByteBuffer.allocateDirect(MSGS + 131072 * 8);
    assertThrows(IllegalArgumentException.class, () -> RingProducer.format(tooBig, 131072));
    ByteBuffer short1 = ByteBuffer.allocateDirect(MSGS + 16 * 8 - 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RingProducer.format(short1, 16));
    assertTrue(e.getMessage().contains("needs 204 bytes but the mapping has 203"), e.getMessage());
  }
}
