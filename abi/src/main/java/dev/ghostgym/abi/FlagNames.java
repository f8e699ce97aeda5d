package dev.ghostgym.abi;

/**
 * Renders a bit mask as {@code NAME|NAME|0x...} for logs and error messages; shared by the flag
 * classes so they all print the same way. Bits without a name are kept as one hex remainder so
 * nothing set is silently hidden; an empty mask prints as "none".
 */
final class FlagNames {

  private FlagNames() {}

  static String describe(int flags, String[] names, int[] bits) {
    StringBuilder sb = new StringBuilder();
    int rest = flags;
    for (int i = 0; i < bits.length; i++) {
      if ((flags & bits[i]) != 0) {
        if (sb.length() > 0) {
          sb.append('|');
        }
        sb.append(names[i]);
        rest &= ~bits[i];
      }
    }
    if (rest != 0) {
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append("0x").append(Integer.toHexString(rest));
    }
    return sb.length() == 0 ? "none" : sb.toString();
  }
}
