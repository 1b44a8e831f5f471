package dev.parley.standalone;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How much free heap the standalone server's JVM keeps committed after a collection: at most
 * {@value #MAX_FREE} % (JVM default 70), at least {@value #MIN_FREE} % (default 40), unless the operator
 * chose either ratio ({@code -XX:MaxHeapFreeRatio}, {@code -XX:MinHeapFreeRatio}, on the command line
 * or in {@code JAVA_TOOL_OPTIONS}): then both stay as the JVM has them.
 *
 * <p>Why: a burst of connections makes the collector grow the heap several times over what the
 * connections keep, and with the JVM's defaults a collection afterwards gives back only what exceeds
 * 70 % free, so a process holding 10,000 idle connections keeps about three times their heap resident.
 * With these ratios the heap shrinks to at most 1 / 0.6 of what is live at each full collection and at
 * the end of each concurrent cycle (G1's remark). The price is a heap that grows again, committing
 * memory, when traffic comes back.
 *
 * <p>Only the standalone server's {@code main} applies it: it owns its JVM. The WAR path never does
 * (the application server's JVM is its operator's), nor does {@link StandaloneServer#start} embedded in
 * someone else's program. Both flags are manageable in HotSpot; a JVM without them (no
 * {@link HotSpotDiagnosticMXBean}) is left alone.
 */
final class HeapFreeRatios {

    static final int MIN_FREE = 20;
    static final int MAX_FREE = 40;
    private static final String MIN = "MinHeapFreeRatio";
    private static final String MAX = "MaxHeapFreeRatio";
    private static final Logger LOG = Logger.getLogger(HeapFreeRatios.class.getName());

    private HeapFreeRatios() {
    }

    /** Sets both ratios unless the operator set either; says which happened at FINE. */
    static void applyUnlessChosen() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null) { // a JVM may lack it (getPlatformMXBean's contract)
                LOG.fine("no HotSpot diagnostic bean: heap free ratios left as they are");
                return;
            }
            VMOption min = vm.getVMOption(MIN);
            VMOption max = vm.getVMOption(MAX);
            if (min.getOrigin() != VMOption.Origin.DEFAULT || max.getOrigin() != VMOption.Origin.DEFAULT) {
                LOG.fine(() -> "heap free ratios chosen by the operator: " + MIN + "=" + min.getValue() + ", "
                        + MAX + "=" + max.getValue());
                return;
            }
            // The JVM refuses a minimum above the maximum at every step: lower the minimum first.
            vm.setVMOption(MIN, Integer.toString(MIN_FREE));
            vm.setVMOption(MAX, Integer.toString(MAX_FREE));
            LOG.fine(() -> "heap free ratios: " + MIN + "=" + MIN_FREE + ", " + MAX + "=" + MAX_FREE);
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            // not manageable on this JVM (or no such flag): its own sizing stands, nothing else depends on it
            LOG.log(Level.FINE, "heap free ratios left as they are", e);
        }
    }
}
