package dev.fleetkey.service.endpoint.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the service process on this machine uses: its live heap, its CPU time; and the machine's load average. */
final class ServiceProcess {

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private ServiceProcess() {
    }

    /**
     * The live heap of a JVM on this machine, in bytes: {@code jcmd <pid> GC.class_histogram} runs a full
     * collection first and sums every live object, so two readings differ by what was made and kept in between.
     */
    static long liveBytes(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher total = TOTAL.matcher(output);
        if (!total.find()) {
            throw new IOException("jcmd " + pid + " GC.class_histogram printed no total: "
                    + output.substring(0, Math.min(200, output.length())));
        }
        return Long.parseLong(total.group(1));
    }

    /** CPU time (user + system) of process {@code pid} so far, in seconds, from {@code /proc} (ticks of 1/100 s). */
    static double cpuSeconds(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            // the fields after the parenthesised command name, which may itself hold spaces
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + stat + ": give the pid of the service on this machine", e);
        }
    }

    /** The 1, 5 and 15 minute load averages, as the kernel prints them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
