package dev.rerank4j.bench;

import java.util.Arrays;

/** Order statistics of repeated measurements: benchmarks report medians, which one noisy run cannot move. */
public final class Stats {
    private Stats() {
    }

    public static double median(double[] xs) {
        return percentile(xs, 50);
    }

    /** Nearest-rank percentile. */
    public static double percentile(double[] xs, double p) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** CPU time of the whole process (every thread, native ones too) in nanoseconds, or -1 where unknown. */
    public static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The process's peak resident memory (VmHWM) in MiB, or -1 where /proc is absent. */
    public static double peakRssMib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
