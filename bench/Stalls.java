import java.util.concurrent.TimeUnit;

/**
 * How much of a core the machine itself takes away, for bench/latency.sh: a loop that does nothing but read the clock,
 * run pinned to one core while nothing else runs there, sees every moment the core did not run it (the hypervisor
 * running another guest, the kernel's own work) as a jump between two readings.
 *
 *   java bench/Stalls.java SECONDS
 *
 * Prints the jumps over 1, 2, 5 and 10 ms, the longest, and the share of the time beyond 2 ms into a jump: a request
 * due at such a moment is answered more than 2 ms late by any server, however fast, so where the shares of the
 * server's core and the load generator's core add up to 1% or more, no server can show a p99 under 2 ms there.
 */
public class Stalls {
    private static final long[] THRESHOLDS_MILLIS = {1, 2, 5, 10};
    private static final long TARGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Long enough for this loop to be compiled: the compiler's thread shares the core and would be counted. */
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

    public static void main(String[] arguments) {
        long duration = TimeUnit.SECONDS.toNanos(Long.parseLong(arguments[0]));
        long[] counts = new long[THRESHOLDS_MILLIS.length];
        long longest = 0;
        long beyondTarget = 0;
        long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUpEnd) {
            Thread.onSpinWait();
        }
        long start = System.nanoTime();
        long last = start;
        while (last - start < duration) {
            long now = System.nanoTime();
            long jump = now - last;
            last = now;
            if (jump < TimeUnit.MILLISECONDS.toNanos(1)) {
                continue;
            }
            for (int i = 0; i < THRESHOLDS_MILLIS.length; i++) {
                if (jump > TimeUnit.MILLISECONDS.toNanos(THRESHOLDS_MILLIS[i])) {
                    counts[i]++;
                }
            }
            longest = Math.max(longest, jump);
            beyondTarget += Math.max(0, jump - TARGET_NANOS);
        }
        System.out.printf("stalls over 1 ms %d, 2 ms %d, 5 ms %d, 10 ms %d; longest %.2f ms; beyond 2 ms %.2f%% of the"
                        + " time%n", counts[0], counts[1], counts[2], counts[3], longest / 1e6,
                100.0 * beyondTarget / (last - start));
    }
}
