package io.freehold.node.liquidation;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * A liquidator's thread: one tick every poll interval until it is stopped. A tick that fails (the
 * chain or the database away) is logged and tried again at the next interval: the attempts it
 * recorded are in the store, so the next tick carries on from them rather than from memory.
 */
public final class PollLoop {

    private PollLoop() {}

    /**
     * Runs {@code tick} every {@code interval} while {@code running} says so; returns when it no
     * longer does or the thread is interrupted.
     *
     * @param what the loop's name in the log ("liquidator", "Aave liquidator")
     */
    public static void run(
            String what, Duration interval, BooleanSupplier running, Runnable tick, Logger log) {
        while (running.getAsBoolean()) {
            try {
                tick.run();
            } catch (RuntimeException e) {
                if (!running.getAsBoolean()) {
                    return;
                }
                log.warn("{} tick failed, trying again in {}: {}", what, interval, e.toString());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
