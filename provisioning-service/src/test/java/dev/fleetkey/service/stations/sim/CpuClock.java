package dev.fleetkey.service.stations.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system) a process has used so far, in seconds. */
interface CpuClock {

    double seconds();

    /** This JVM, from its management bean. */
    static CpuClock ofThisProcess() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return () -> os.getProcessCpuTime() / 1e9;
    }

    /**
     * Another process on this (Linux) machine: utime + stime from {@code /proc/PID/stat}, in clock ticks of
     * 1/100 s (the value of {@code getconf CLK_TCK} on Linux since 2.6 on x86 and arm).
     */
    static CpuClock ofProcess(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isReadable(stat)) {
            throw new IllegalArgumentException("--service-pid " + pid + ": " + stat + " is not readable; give the pid of"
                    + " the service running on this machine, or leave the option out");
        }
        return () -> {
            try {
                String text = Files.readString(stat);
                // fields after the parenthesised command name, which may itself hold spaces
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + stat + " (did the service stop?)", e);
            }
        };
    }
}
