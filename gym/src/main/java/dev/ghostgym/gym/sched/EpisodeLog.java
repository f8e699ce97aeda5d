package dev.ghostgym.gym.sched;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recorded episode: enough to run it again exactly (environment id, options, seed, actions) and
 * what it produced (return, final metrics with the trace hash), so that a replay can be verified.
 * Written as JSON by {@link RecordEpisode}; checked by {@link Replay}.
 */
public record EpisodeLog(
    @JsonProperty("env") String env,
    @JsonProperty("options") Map<String, Object> options,
    @JsonProperty("options_sha256") String optionsSha256,
    @JsonProperty("seed") long seed,
    @JsonProperty("actions") List<Integer> actions,
    @JsonProperty("return") double episodeReturn,
    @JsonProperty("metrics") Map<String, Object> metrics) {

  /** SHA-256 of the options in key order, values as text: what must match for a replay. */
  public static String hash(Map<String, Object> options) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(options).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
