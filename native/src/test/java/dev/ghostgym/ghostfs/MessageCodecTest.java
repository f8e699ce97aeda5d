package dev.ghostgym.ghostfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostgym.abi.AbiVersion;
import dev.ghostgym.abi.CpuTick;
import dev.ghostgym.abi.Message;
import dev.ghostgym.abi.MessageType;
import dev.ghostgym.abi.MessageView;
import dev.ghostgym.abi.SwInfo;
import dev.ghostgym.abi.TaskDead;
import dev.ghostgym.abi.TaskNew;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Encoding and decoding every message type under every ABI, unaligned, against the layout tables.
 */
class MessageCodecTest {

  // A ring slot sits at 76 + 8k, so a message's 8-byte fields are at addresses = 4 (mod 8).
  private static final int AT = 76 + 8 * 3;

  // The in-place decoder the live agents use reads the same fields at the same offsets as the
  // record decoder: every view field, for every type and ABI, equals the view set from the record.
  @Test
  void decodingInPlaceGivesTheFieldsOfTheRecordForEveryTypeAndAbi() {
    ByteBuffer buf = ByteBuffer.allocateDirect(256);
    MessageView inPlace = new MessageView();
    MessageView fromRecord = new MessageView();
    for (AbiVersion abi : AbiVersion.values()) {
      for (MessageType type : MessageType.values()) {
        if (type == MessageType.NOP) continue;
        for (int k = 0; k < 3; k++) {
          Message m = Samples.of(type, abi, k);
          MessageCodec.encode(m, abi, buf, AT);
          String what = type + " " + abi + " " + k;
          assertSame(inPlace, MessageCodec.decodeInto(buf, AT, abi, inPlace), what);
          fromRecord.set(m);
          assertNull(inPlace.record(), "no record built for " + what);
          assertEquals(fromRecord.type(), inPlace.type(), what);
          assertEquals(fromRecord.seqnum(), inPlace.seqnum(), what);
          assertEquals(fromRecord.gtid(), inPlace.gtid(), what);
          assertEquals(fromRecord.runtime(), inPlace.runtime(), what);
          assertEquals(fromRecord.cpu(), inPlace.cpu(), what);
          assertEquals(fromRecord.nice(), inPlace.nice(), what);
          assertEquals(fromRecord.runnable(), inPlace.runnable(), what);
          assertEquals(fromRecord.deferrable(), inPlace.deferrable(), what);
          assertEquals(fromRecord.fromSwitchto(), inPlace.fromSwitchto(), what);
          assertEquals(fromRecord.swId(), inPlace.swId(), what);
          assertEquals(fromRecord.swIndex(), inPlace.swIndex(), what);
        }
      }
    }
  }

  @Test
  void everyTypeRoundTripsAtAnUnalignedSlotUnderEveryAbi() {
    ByteBuffer buf = ByteBuffer.allocateDirect(256);
    assertEquals(4, AT % 8);
    for (AbiVersion abi : AbiVersion.values()) {
      for (MessageType type : MessageType.values()) {
        if (type == MessageType.NOP) {
          continue;
        }
        for (int k = 0; k < 3; k++) {
          fill(buf, (byte) 0xAA);
          Message m = Samples.of(type, abi, k);
          int length = MessageCodec.encode(m, abi, buf, AT);
          assertEquals(type.length(abi), length, type + " " + abi);
          assertEquals(m, MessageCodec.decode(buf, AT, abi), type + " " + abi);
          assertEquals(type.number(), MessageCodec.typeNumber(buf, AT));
          assertEquals(length, MessageCodec.length(buf, AT));
          assertEquals((byte) 0xAA, buf.get(AT - 1), "nothing written before the message");
          assertEquals((byte) 0xAA, buf.get(AT + length), "nothing written past length");
        }
      }
    }
  }

  @Test
  void fieldsSitAtTheLayoutOffsetsAndPaddingIsZero() {
    ByteBuffer buf = ByteBuffer.allocateDirect(256);
    ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (AbiVersion abi : AbiVersion.values()) {
      for (var e : Layouts.of(abi).payloads().entrySet()) {
        fill(buf, (byte) 0xAA);
        Message m = Samples.of(e.getKey(), abi, 1);
        MessageCodec.encode(m, abi, buf, AT);
        assertEquals(e.getKey().number(), le.getShort(AT) & 0xffff);
        assertEquals(8 + e.getValue().size(), le.getShort(AT + 2) & 0xffff);
        assertEquals(m.seqnum(), le.getInt(AT + 4));
        boolean[] covered = new boolean[e.getValue().size()];
        for (Field f : e.getValue().fields()) {
          long expected = expectedValue(m, f);
          long actual = read(le, AT + 8 + f.offset(), f.size());
          assertEquals(expected, actual, abi + " " + e.getValue().name() + "." + f.name());
          for (int i = f.offset(); i < f.end(); i++) {
            covered[i] = true;
          }
        }
        for (int i = 0; i < covered.length; i++) {
          if (!covered[i]) {
            assertEquals(
                0, buf.get(AT + 8 + i), abi + " " + e.getValue().name() + " padding byte " + i);
          }
        }
      }
    }
  }

  @Test
  void unknownTypeIsAnErrorNamingTheNumber() {
    ByteBuffer buf = ByteBuffer.allocateDirect(64);
    MessageCodec.encode(
        Samples.of(MessageType.TASK_DEAD, AbiVersion.V91, 0), AbiVersion.V91, buf, 4);
    buf.put(4, (byte) 99);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MessageCodec.decode(buf, 4, AbiVersion.V91));
    assertTrue(e.getMessage().contains("unknown ghOSt message type 99"), e.getMessage());
    assertTrue(e.getMessage().contains("at byte 4"), e.getMessage());
  }

  @Test
  void readingWithTheWrongAbiFailsOnTheLength() {
    ByteBuffer buf = ByteBuffer.allocateDirect(64);
    MessageCodec.encode(
        Samples.of(MessageType.TASK_NEW, AbiVersion.V91, 0), AbiVersion.V91, buf, 4);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MessageCodec.decode(buf, 4, AbiVersion.V84));
    assertEquals(
        "TASK_NEW at byte 4 has length 56; ABI 84 gives it length 48 (wrong ABI or corrupt queue?)",
        e.getMessage());
  }

  @Test
  void abi84RefusesValuesItCannotCarry() {
    ByteBuffer buf = ByteBuffer.allocateDirect(64);
    Message taskNew =
        new Message(MessageType.TASK_NEW, 1, new TaskNew(5, 1, 0, true, 0, new SwInfo(0, 1), 42));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageCodec.encode(taskNew, AbiVersion.V84, buf, 0));
    assertTrue(e.getMessage().contains("TASK_NEW.agentData is 42 but ABI 84"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MessageCodec.encode(
                new Message(MessageType.TASK_DEAD, 1, new TaskDead(5, 3)), AbiVersion.V84, buf, 0));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MessageCodec.encode(
                new Message(MessageType.CPU_TICK, 1, new CpuTick(2, true)),
                AbiVersion.V84,
                buf,
                0));
  }

  @Test
  void nopHasNoPayloadAndSpansItsLength() {
    ByteBuffer buf = ByteBuffer.allocateDirect(64);
    MessageCodec.encodeNop(buf, 4, 40, 0);
    Message nop = MessageCodec.decode(buf, 4, AbiVersion.V91);
    assertEquals(new Message(MessageType.NOP, 0, null), nop);
    assertEquals(40, MessageCodec.length(buf, 4));
    assertThrows(IllegalArgumentException.class, () -> MessageCodec.encodeNop(buf, 4, 12, 0));
    assertThrows(
        IllegalArgumentException.class, () -> MessageCodec.encode(nop, AbiVersion.V91, buf, 4));
  }

  // The value a payload field should hold, from the record component of the same (camelCase) name.
  private static long expectedValue(Message m, Field f) {
    Object payload = m.payload();
    if (f.name().equals("sw_info")) {
      SwInfo sw = ((TaskNew) payload).swInfo();
      return (sw.id() & 0xffffffffL) | ((long) sw.index() << 32);
    }
    String name = f.name().equals("errno") ? "error" : camel(f.name());
    for (RecordComponent rc : payload.getClass().getRecordComponents()) {
      if (rc.getName().equals(name)) {
        try {
          Object v = rc.getAccessor().invoke(payload);
          long x = v instanceof Boolean bool ? (bool ? 1 : 0) : ((Number) v).longValue();
          return f.size() == 8 ? x : x & ((1L << (8 * f.size())) - 1);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError(
        payload.getClass().getSimpleName() + " has no component for field " + f.name());
  }

  private static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(ch) : ch);
        up = false;
      }
    }
    return sb.toString();
  }

  private static long read(ByteBuffer le, int at, int size) {
    return switch (size) {
      case 1 -> le.get(at) & 0xffL;
      case 2 -> le.getShort(at) & 0xffffL;
      case 4 -> le.getInt(at) & 0xffffffffL;
      case 8 -> le.getLong(at);
      default -> throw new AssertionError("size " + size);
    };
  }

  private static void fill(ByteBuffer b, byte v) {
    for (int i = 0; i < b.capacity(); i++) {
      b.put(i, v);
    }
  }
}
