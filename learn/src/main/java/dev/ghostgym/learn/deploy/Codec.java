package dev.ghostgym.learn.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The deployable forms to and from JSON values (float arrays as lists of numbers). */
final class Codec {
  private Codec() {}

  static Map<String, Object> mlp(ArrayMlp m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("activation", "tanh");
    o.put("layout", "input-major: weights[l][i * sizes[l+1] + o]");
    o.put("sizes", m.sizes());
    o.put("weights", m.weights());
    o.put("biases", m.biases());
    return o;
  }

  static ArrayMlp mlp(Map<String, Object> o) {
    int[] sizes = ints(o.get("sizes"));
    List<?> ws = (List<?>) o.get("weights");
    List<?> bs = (List<?>) o.get("biases");
    float[][] w = new float[ws.size()][];
    float[][] b = new float[bs.size()][];
    for (int i = 0; i < w.length; i++) w[i] = floats(ws.get(i));
    for (int i = 0; i < b.length; i++) b[i] = floats(bs.get(i));
    return new ArrayMlp(sizes, w, b);
  }

  static Map<String, Object> tree(DistilledTree t, double agreement, int samples) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("features", Candidates.NAMES);
    o.put("agreement", agreement);
    o.put("samples", samples);
    o.put("depth", t.depth());
    o.put("feature", t.feature());
    o.put("threshold", t.threshold());
    o.put("left", t.left());
    o.put("right", t.right());
    o.put("value", t.value());
    return o;
  }

  static DistilledTree tree(Map<String, Object> o) {
    List<?> th = (List<?>) o.get("threshold");
    double[] threshold = new double[th.size()];
    for (int i = 0; i < threshold.length; i++) {
      Object v = th.get(i);
      threshold[i] =
          v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
    }
    return new DistilledTree(
        ints(o.get("feature")),
        threshold,
        ints(o.get("left")),
        ints(o.get("right")),
        floats(o.get("value")));
  }

  private static int[] ints(Object v) {
    List<?> l = (List<?>) v;
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
    return a;
  }

  private static float[] floats(Object v) {
    List<?> l = (List<?>) v;
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).floatValue();
    return a;
  }
}
