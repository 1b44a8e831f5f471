package dev.parley.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * Samples this JVM as the soak's server: heap used right after a full GC ({@link MemoryMXBean#gc}),
 * threads ({@code /proc/self/status}), open file descriptors and how many of them are sockets
 * ({@code /proc/self/fd}), and the server's connected sockets. Linux only (the soak is).
 */
final class SoakSampler {

    /**
     * One sample; {@code seconds} since the steady phase began. The connected sockets are counted right before and
     * right after the descriptors are listed ({@code connectedBefore}, {@code connected}): clients reconnect
     * meanwhile, so a descriptor count is compared with both.
     */
    record Sample(long seconds, long heapAfterGcKiB, int threads, int fds, int socketFds, int connectedBefore,
            int connected) {

        int otherFds() {
            return fds - socketFds;
        }

        static String header() {
            return String.format("%6s %14s %8s %6s %10s %9s %10s", "t (s)", "heap GC (KiB)", "threads", "fds",
                    "socket fds", "other fds", "connected");
        }

        String row() {
            return String.format("%6d %14d %8d %6d %10d %9d %10d", seconds, heapAfterGcKiB, threads, fds, socketFds,
                    otherFds(), connected);
        }
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final IntSupplier connected;
    private final List<Sample> samples = new ArrayList<>();

    SoakSampler(IntSupplier connected) {
        this.connected = connected;
    }

    Sample sample(long seconds) {
        memory.gc();
        long heap = memory.getHeapMemoryUsage().getUsed() / 1024;
        int connectedBefore = connected.getAsInt();
        int fds = 0;
        int sockets = 0;
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                fds++;
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException closedMeanwhile) {
                    fds--;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sample s = new Sample(seconds, heap, threads(), fds, sockets, connectedBefore,
                connected.getAsInt());
        synchronized (samples) {
            samples.add(s);
        }
        return s;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    static int threads() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Threads:"))
                    .mapToInt(l -> Integer.parseInt(l.substring(8).trim())).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
