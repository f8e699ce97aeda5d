package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a report in headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it)
 * and reports what the browser loaded. A copy of the page gets a probe script that, after the load
 * event, counts the images the browser decoded (naturalWidth > 0) and those it could not; the
 * report itself stays script-free.
 */
final class HeadlessBrowser {
  record Check(int images, int loaded, int failed, int tableRows) {}

  private static final String PROBE =
      "<script>window.addEventListener('load',function(){"
          + "var im=document.images,ok=0,bad=0;for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;else bad++;}"
          + "var p=document.createElement('pre');p.id='ghost-gym-check';"
          + "p.textContent='images='+im.length+' loaded='+ok+' failed='+bad+' rows='+document.querySelectorAll('#results tr').length;"
          + "document.body.appendChild(p);});</script>";

  private HeadlessBrowser() {}

  static String binary() {
    for (String b : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        if (Files.isExecutable(Path.of(dir, b))) return Path.of(dir, b).toString();
      }
    }
    return null;
  }

  static Check check(Path report, Path work) throws Exception {
    String bin = binary();
    Assumptions.assumeTrue(
        bin != null, "no chromium on PATH (CI installs Debian's chromium; see .ci/run)");
    String html = Files.readString(report);
    assertFalse(
        Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(),
        "the report loads nothing from a network");
    Files.createDirectories(work);
    Path probe = work.resolve("probe.html");
    Files.writeString(probe, html.replace("</body>", PROBE + "</body>"));
    Path profile = Files.createDirectories(work.resolve("profile"));
    Process p =
        new ProcessBuilder(
                bin,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000",
                "--dump-dom",
                probe.toUri().toString())
            .redirectError(work.resolve("chromium.log").toFile())
            .start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    assertEquals(0, p.exitValue(), () -> "chromium failed: " + read(work.resolve("chromium.log")));
    String text = new String(dom, StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile("images=(\\d+) loaded=(\\d+) failed=(\\d+) rows=(\\d+)").matcher(text);
    assertTrue(
        m.find(),
        () -> "no probe result in the DOM; chromium log: " + read(work.resolve("chromium.log")));
    return new Check(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        Integer.parseInt(m.group(4)) - 1); // minus the header row
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
