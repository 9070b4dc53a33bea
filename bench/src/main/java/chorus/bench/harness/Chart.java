package chorus.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Throughput against client threads for both systems, one panel per workload, drawn with Java2D
 * (headless) into a PNG. Thread counts are spaced evenly (they grow geometrically), throughput
 * starts at zero so that panel heights compare honestly.
 */
public final class Chart {

    private static final int PANEL_W = 460;
    private static final int PANEL_H = 300;
    private static final Color CHORUS = new Color(0x1f, 0x77, 0xb4);
    private static final Color ZOOKEEPER = new Color(0xe0, 0x6c, 0x00);

    private Chart() {
    }

    public static void write(BenchResults results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Workload> workloads = results.options().workloads();
        int cols = Math.min(2, workloads.size());
        int rows = (workloads.size() + cols - 1) / cols;
        int width = cols * PANEL_W;
        int height = rows * PANEL_H + 60;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Throughput (ops/s) against client threads, 5 servers each, " + results.options().records()
                    + " records of " + results.options().valueBytes() + " B", 14, 24);
            legend(g, 14, 44);
            for (int i = 0; i < workloads.size(); i++) {
                panel(g, results, workloads.get(i), (i % cols) * PANEL_W, 60 + (i / cols) * PANEL_H);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setStroke(new BasicStroke(3));
        g.setColor(CHORUS);
        g.drawLine(x, y - 4, x + 24, y - 4);
        g.setColor(Color.BLACK);
        g.drawString(Bench.CHORUS, x + 30, y);
        g.setColor(ZOOKEEPER);
        g.drawLine(x + 110, y - 4, x + 134, y - 4);
        g.setColor(Color.BLACK);
        g.drawString(Bench.ZOOKEEPER + " 3.9.5", x + 140, y);
    }

    private static void panel(Graphics2D g, BenchResults results, Workload w, int ox, int oy) {
        List<Integer> threads = results.options().threads();
        double[] chorus = series(results.chorus(), w, threads);
        double[] zk = series(results.zookeeper(), w, threads);
        double max = 1;
        for (int i = 0; i < threads.size(); i++) {
            max = Math.max(max, Math.max(chorus[i], zk[i]));
        }
        max = niceCeiling(max);
        int left = ox + 70;
        int right = ox + PANEL_W - 20;
        int top = oy + 30;
        int bottom = oy + PANEL_H - 45;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("Workload " + w.label() + " (" + w.mix() + ")", left, oy + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1));
        for (int k = 0; k <= 4; k++) {
            double v = max * k / 4;
            int y = bottom - (int) Math.round((bottom - top) * (k / 4.0));
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", v);
            g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        int n = threads.size();
        int[] xs = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = n == 1 ? (left + right) / 2 : left + 30 + (right - left - 60) * i / (n - 1);
            String label = String.valueOf(threads.get(i));
            g.drawString(label, xs[i] - fm.stringWidth(label) / 2, bottom + 16);
        }
        String axis = "client threads";
        g.drawString(axis, (left + right) / 2 - fm.stringWidth(axis) / 2, bottom + 32);
        line(g, xs, chorus, max, top, bottom, CHORUS);
        line(g, xs, zk, max, top, bottom, ZOOKEEPER);
    }

    private static void line(Graphics2D g, int[] xs, double[] values, double max, int top, int bottom, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        int prevX = -1;
        int prevY = -1;
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(values[i])) {
                prevX = -1;
                continue;
            }
            int y = bottom - (int) Math.round((bottom - top) * values[i] / max);
            if (prevX >= 0) {
                g.drawLine(prevX, prevY, xs[i], y);
            }
            g.fillOval(xs[i] - 4, y - 4, 8, 8);
            prevX = xs[i];
            prevY = y;
        }
    }

    private static double[] series(SystemResults s, Workload w, List<Integer> threads) {
        double[] out = new double[threads.size()];
        for (int i = 0; i < threads.size(); i++) {
            RunResult r = s.run(w, threads.get(i));
            out[i] = r == null ? Double.NaN : r.throughput();
        }
        return out;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
