package dev.ghostgym.live;

import java.util.TreeSet;

/** CPU lists as ghostfs's {@code cpulist} file and {@code --cpus} write them: {@code 1-3,5}. */
public final class CpuList {
  private CpuList() {}

  /**
   * The CPUs of {@code list}, ascending and without repeats; IllegalArgumentException naming the
   * bad part.
   */
  public static int[] parse(String list) {
    if (list == null || list.isBlank())
      throw new IllegalArgumentException("CPU list is empty; expected e.g. 1-3,5");
    TreeSet<Integer> cpus = new TreeSet<>();
    for (String part : list.strip().split(",")) {
      String p = part.strip();
      int dash = p.indexOf('-');
      try {
        int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
        int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
        if (lo < 0 || hi < lo || hi >= 1024) throw new NumberFormatException();
        for (int c = lo; c <= hi; c++) cpus.add(c);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "CPU list '" + list + "': '" + p + "' is not a CPU (0..1023) or a range lo-hi");
      }
    }
    return cpus.stream().mapToInt(Integer::intValue).toArray();
  }

  /** {@code 1-3,5} for {@code {1, 2, 3, 5}}. */
  public static String format(int[] cpus) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cpus.length; ) {
      int j = i;
      while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) j++;
      if (sb.length() > 0) sb.append(',');
      sb.append(cpus[i]);
      if (j > i) sb.append('-').append(cpus[j]);
      i = j + 1;
    }
    return sb.toString();
  }
}
