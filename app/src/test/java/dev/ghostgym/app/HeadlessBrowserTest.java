package dev.ghostgym.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser check itself notices a figure that does not load (so a passing report check means
 * something).
 */
class HeadlessBrowserTest {
  @TempDir Path dir;

  @Test
  void aBrokenImageIsCountedAsFailed() throws Exception {
    Path page = dir.resolve("broken.html");
    Files.writeString(
        page,
        "<!DOCTYPE html><html><body><table id=\"results\"><tr><th>h</th></tr><tr><td>1</td></tr></table>"
            + "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\">"
            + "<img src=\"data:image/png;base64,bm90IGEgcG5n\"></body></html>");
    HeadlessBrowser.Check c = HeadlessBrowser.check(page, dir.resolve("chromium"));
    assertEquals(2, c.images());
    assertEquals(1, c.loaded());
    assertEquals(1, c.failed());
    assertEquals(1, c.tableRows());
  }
}
