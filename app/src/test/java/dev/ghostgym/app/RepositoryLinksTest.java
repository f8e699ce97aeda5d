package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository explains itself: every Markdown link in it must lead to a file or folder that
 * exists inside the repository, so a clone is complete on its own. Checks inline links ({@code
 * [text](path)}, images too) and reference definitions ({@code [id]: path}) in every {@code *.md}
 * outside build output, and that an anchor ({@code FILE.md#heading}, {@code #heading}) names a
 * heading of that file; web links are not followed. Text inside code spans and fenced blocks is not
 * a link and is skipped, but no Markdown file may name a relative path that climbs out of the
 * repository, even there: its readers have nothing outside it.
 */
class RepositoryLinksTest {
  /**
   * A relative path that starts by climbing ({@code ../x}), outside link syntax (links are checked
   * above).
   */
  private static final Pattern CLIMB =
      Pattern.compile("(?<!\\]\\()(?<![\\w./])(?:\\.\\./)+[\\w.-]+(?:/[\\w.-]+)*");

  private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", "venv", "runs");
  private static final Pattern INLINE =
      Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE =
      Pattern.compile("(?m)^ {0,3}\\[[^\\]\\n]+\\]:[ \\t]*<?([^\\s>]+)>?(?:[ \\t]+.*)?$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern FENCE =
      Pattern.compile("(?ms)^ {0,3}(```|~~~).*?^ {0,3}\\1[^\\n]*$");
  private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?s:.+?)\\1");

  @Test
  void everyMarkdownLinkInTheRepositoryLeadsToAFileInsideIt() {
    Path root = repositoryRoot();
    List<Path> files = markdownFiles(root);
    assertTrue(files.contains(root.resolve("README.md")), "README.md found under " + root);
    assertTrue(files.size() >= 5, "expected the docs, found only " + files);
    List<String> problems = new ArrayList<>();
    for (Path f : files) problems.addAll(problems(root, f));
    assertTrue(problems.isEmpty(), "broken Markdown links:\n" + String.join("\n", problems));
  }

  @Test
  void reportsBrokenOutsideAbsoluteAndAnchorLinksButNotCode(@TempDir Path dir) throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve("docs"));
    Files.writeString(
        repo.resolve("docs/A.md"), "# A part: `one`, two\n\n```\n# not a heading\n```\n");
    Files.writeString(dir.resolve("outside.md"), "# outside\n");
    Files.writeString(
        repo.resolve("README.md"),
        String.join(
            "\n",
            "# Top",
            "[a](docs/A.md#a-part-one-two) [img](docs/A.md \"title\") [top](#top)",
            "[web](https://x.org/y.md) [mail](mailto:a@x.org)",
            "[no anchor](docs/A.md#not-a-heading) [no local anchor](#nowhere)",
            "[missing](docs/B.md) [out](../outside.md) [abs](/etc/hosts)",
            "`[code](nowhere.md)` and `../elsewhere/notes` in a code span",
            "```",
            "[fenced](nowhere.md)",
            "```",
            "[ref]: docs/Nope.md",
            ""));
    assertEquals(
        List.of(
            "README.md: link to a missing heading: docs/A.md#not-a-heading",
            "README.md: link to a missing heading: #nowhere",
            "README.md: link to a missing file: docs/B.md",
            "README.md: link outside the repository: ../outside.md",
            "README.md: absolute link: /etc/hosts",
            "README.md: link to a missing file: docs/Nope.md",
            "README.md: names a path outside the repository: ../elsewhere/notes"),
        problems(repo, repo.resolve("README.md")));
  }

  /** The folder of the parent pom: tests run in their module's folder, one below it. */
  private static Path repositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    Path p = start;
    while (p != null
        && !(Files.exists(p.resolve("ghost-gym")) && Files.exists(p.resolve("pom.xml")))) {
      p = p.getParent();
    }
    assertTrue(p != null, "no repository root (pom.xml beside ./ghost-gym) above " + start);
    return p;
  }

  private static List<Path> markdownFiles(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f))
          .filter(f -> kept(root.relativize(f).getParent()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Build output, hidden folders (.git) and local runs are not part of the repository's text. */
  private static boolean kept(Path relDir) {
    if (relDir == null) return true;
    for (Path part : relDir) {
      String n = part.toString();
      if (n.startsWith(".") || SKIPPED_DIRS.contains(n)) return false;
    }
    return true;
  }

  private static List<String> problems(Path root, Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = root.relativize(file).toString();
    String prose = CODE_SPAN.matcher(FENCE.matcher(text).replaceAll("")).replaceAll("");
    List<String> out = new ArrayList<>();
    for (Pattern p : List.of(INLINE, REFERENCE)) {
      Matcher m = p.matcher(prose);
      while (m.find()) {
        String problem = check(root, file, m.group(1));
        if (problem != null) out.add(name + ": " + problem);
      }
    }
    Matcher up = CLIMB.matcher(text);
    while (up.find()) {
      Path target = file.getParent().resolve(up.group()).normalize();
      if (!target.startsWith(root))
        out.add(name + ": names a path outside the repository: " + up.group());
    }
    return out;
  }

  /** What is wrong with one link target, or null when it is fine or not a file link. */
  private static String check(Path root, Path file, String target) {
    if (SCHEME.matcher(target).find()) return null;
    int hash = target.indexOf('#');
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    String path = URLDecoder.decode(target.replaceAll("[#?].*$", ""), StandardCharsets.UTF_8);
    if (path.startsWith("/")) return "absolute link: " + target;
    Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
    if (!resolved.startsWith(root)) return "link outside the repository: " + target;
    if (!Files.exists(resolved)) return "link to a missing file: " + target;
    boolean markdown = resolved.toString().endsWith(".md");
    if (anchor != null && markdown && !headingIds(resolved).contains(anchor)) {
      return "link to a missing heading: " + target;
    }
    return null;
  }

  /** The ids GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens. */
  private static Set<String> headingIds(Path file) {
    String text;
    try {
      text = FENCE.matcher(Files.readString(file)).replaceAll("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> ids = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(text);
    while (m.find()) {
      String id =
          m.group(1)
              .strip()
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int n = seen.merge(id, 1, Integer::sum);
      ids.add(n == 1 ? id : id + "-" + (n - 1));
    }
    return ids;
  }
}
