package dev.ghostgym.app.report;

import dev.ghostgym.config.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A chart with the file name it is saved under and the caption the report gives it. Saved as PNG
 * (for the report and quick looks) and SVG (for papers and slides).
 */
public record Figure(String name, String caption, Chart<?, ?> chart) {
  public byte[] png() {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] svg() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code name.png} and {@code name.svg} into {@code dir}; returns the PNG bytes. */
  public byte[] save(Path dir) {
    byte[] png = png();
    AtomicFile.writeBytesUnchecked(dir.resolve(name + ".png"), png);
    AtomicFile.writeBytesUnchecked(dir.resolve(name + ".svg"), svg());
    return png;
  }
}
