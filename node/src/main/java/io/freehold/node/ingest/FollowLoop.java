package io.freehold.node.ingest;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.chain.RpcEndpoint;
import io.freehold.node.chain.RpcException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * The follower thread of a following service, the same for Freehold's pool ({@link
 * IngestionService}) and an Aave pool: one step after another for the life of the node, and what
 * each kind of failure does.
 *
 * <ul>
 *   <li>At the head, wait the poll interval; behind it, step again at once.
 *   <li>The chain could not be read ({@link RpcException}; the RPC layer has already retried and
 *       failed over): retry after a wait that doubles from the poll interval to {@link #MAX_WAIT}.
 *   <li>A failure the protocol names fatal (figures that can no longer be trusted: logs that do not
 *       add up, a feature the book refuses), or an {@link Error} on the thread (out of memory, a
 *       class that cannot be loaded): stop following for good and hand the cause to {@link
 *       FatalStop}. An Error must not end the thread quietly: the node would go on serving the last
 *       state as if it were current.
 *   <li>Any other runtime failure (a database error): retry after the current wait.
 * </ul>
 *
 * The services keep their own phases; the loop tells them when a step failed ({@link
 * Steps#retrying}) and when following stopped ({@link Steps#failed}), and keeps the last error.
 */
public final class FollowLoop {

    /** The longest wait between two tries while the chain cannot be read. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** What one protocol's follower does in the loop. */
    public interface Steps {

        /**
         * One step; true when the follower is at the head (the loop then waits a poll interval).
         */
        boolean step();

        /** Whether {@code e} means the figures can no longer be trusted: following stops. */
        boolean fatal(RuntimeException e);

        /** A step failed and will be tried again. */
        void retrying();

        /** Following stopped for good (before {@link FatalStop} is told). */
        void failed();
    }

    private final String what;
    private final Steps steps;
    private final Duration pollInterval;
    private final FatalStop fatalStop;
    private final Logger log;
    private final Thread thread;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    /**
     * @param what what is followed, for the log and the last error ("Freehold pool", "Aave market")
     * @param threadName the follower thread's name
     */
    public FollowLoop(
            String what,
            String threadName,
            Steps steps,
            Duration pollInterval,
            FatalStop fatalStop,
            Logger log) {
        this.what = what;
        this.steps = steps;
        this.pollInterval = pollInterval;
        this.fatalStop = fatalStop;
        this.log = log;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /**
     * Checks that an endpoint answers and is on {@code chainId}, before any thread starts: the
     * start fails with a message that names the setting to fix.
     */
    public static void requireChain(ChainRpc rpc, RpcConfiguration rpcConfig, long chainId) {
        try {
            rpc.requireChainId(chainId);
        } catch (RpcException e) {
            throw new IllegalStateException(
                    "cannot reach any JSON-RPC endpoint ("
                            + String.join(
                                    ", ",
                                    rpcConfig.endpoints().stream()
                                            .map(RpcEndpoint::redact)
                                            .toList())
                            + "): "
                            + e.getMessage()
                            + ". Check freehold.node.rpc.endpoints and that the node (or anvil) is up",
                    e);
        }
    }

    public void start() {
        thread.start();
    }

    /** Why the last step failed, or why following stopped; empty when all is well. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /** Ends the loop and waits up to 5 s for the thread; true when it has ended. */
    public boolean stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
        return !thread.isAlive();
    }

    private void run() {
        Duration wait = pollInterval;
        while (running) {
            try {
                boolean atHead = steps.step();
                lastError.set(null);
                wait = pollInterval;
                if (atHead) {
                    sleep(wait);
                }
            } catch (RpcException e) {
                if (!running) {
                    return; // shutting down: the interrupt ended the call
                }
                lastError.set(e.getMessage());
                steps.retrying();
                log.warn("reading the chain failed, trying again in {}: {}", wait, e.getMessage());
                sleep(wait);
                wait =
                        wait.multipliedBy(2).compareTo(MAX_WAIT) > 0
                                ? MAX_WAIT
                                : wait.multipliedBy(2);
            } catch (RuntimeException e) {
                if (steps.fatal(e)) {
                    fail(e);
                    return;
                }
                if (!running) {
                    return;
                }
                lastError.set(e.toString());
                steps.retrying();
                log.error("following the {} failed, trying again in {}", what, wait, e);
                sleep(wait);
            } catch (Error e) {
                fail(
                        new IllegalStateException(
                                "the " + what + "'s follower thread failed: " + e, e));
                return;
            }
        }
    }

    private void fail(RuntimeException e) {
        lastError.set(e.getMessage());
        steps.failed();
        log.error("following the {} stopped: {}", what, e.getMessage(), e);
        fatalStop.stop(e);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
