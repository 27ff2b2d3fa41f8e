package io.freehold.node.liquidation;

import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.transact.LiquidationExecutor;
import io.freehold.node.liquidation.transact.LiquidatorLease;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which executor, if any, this replica drives now — written once for every protocol's liquidator
 * (Freehold's {@link LiquidationService}, an Aave pool's {@code AaveLiquidationService}).
 *
 * <p>Without a lease the one executor runs over the store for the node's life ({@link
 * Role#SINGLE}). With one, {@link #poll} renews or takes the {@link LiquidatorLease} every tick: a
 * new epoch gets a new executor over the store fenced by it (its nonces resynced from the chain and
 * the store, the attempts its predecessor left in flight tracked to their end — the record is
 * shared, so a dead leader's attempt is finished, never sent again); a lost lease drops the
 * executor, so a replica that loses the lease stops sending at its next tick, and the fence refuses
 * any write it was in the middle of.
 */
public final class LiquidatorLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(LiquidatorLeadership.class);

    /** What this node does about liquidations among its replicas. */
    public enum Role {
        /**
         * No lease configured: this node alone decides (executes in EXECUTE mode, logs in WATCH
         * mode).
         */
        SINGLE,
        /** Holds the liquidator lease: executes liquidations under its epoch. */
        LEADER,
        /** Another replica holds the lease: follows the chain and serves the API, sends nothing. */
        STANDBY
    }

    private final LiquidatorLease lease;
    private final AttemptStore store;
    private final Function<AttemptStore, LiquidationExecutor> newExecutor;
    private final LiquidationMetrics metrics;
    private volatile LiquidationExecutor executor;
    private volatile Role role;
    private volatile long epoch;

    /**
     * @param lease the replicas' lease, or null for a single node (its executor is built now)
     * @param newExecutor an executor over the store it is given (fenced under a lease)
     */
    public LiquidatorLeadership(
            LiquidatorLease lease,
            AttemptStore store,
            Function<AttemptStore, LiquidationExecutor> newExecutor,
            LiquidationMetrics metrics) {
        this.lease = lease;
        this.store = store;
        this.newExecutor = newExecutor;
        this.metrics = metrics;
        if (lease == null) {
            this.executor = newExecutor.apply(store);
            this.role = Role.SINGLE;
            metrics.leadership(true, 0);
        } else {
            this.role = Role.STANDBY; // until the first poll wins the lease
        }
    }

    /**
     * The lease {@code config} asks for, on the liquidator's database, or null when it is off. The
     * holder is the configured replica id (default: the host name) with a random suffix, so a
     * restarted process never inherits its predecessor's epoch.
     */
    public static LiquidatorLease lease(LeaseConfiguration config, AttemptStore store) {
        if (!config.enabled()) {
            return null;
        }
        String name = config.replicaId();
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "replica";
            }
        }
        return new LiquidatorLease(
                store.dataSource(),
                name + "/" + UUID.randomUUID().toString().substring(0, 8),
                config.duration(),
                Clock.systemUTC());
    }

    /**
     * Renews or takes the lease (under one) and answers the executor to drive this tick: empty on a
     * standby.
     */
    public Optional<LiquidationExecutor> poll() {
        if (lease != null) {
            leadOrStandBy();
        }
        return Optional.ofNullable(executor);
    }

    /** The executor of this replica as of the last poll: empty on a standby. */
    public Optional<LiquidationExecutor> executor() {
        return Optional.ofNullable(executor);
    }

    public Role role() {
        return role;
    }

    /** The lease epoch this node executes under (LEADER), or 0. */
    public long epoch() {
        return role == Role.LEADER ? epoch : 0;
    }

    /** This replica's holder name in the lease, or empty without one. */
    public Optional<String> holder() {
        return Optional.ofNullable(lease).map(LiquidatorLease::holder);
    }

    /** How the log names this node's part: empty for a single node. */
    public String describe() {
        return lease == null
                ? ""
                : "; replica "
                        + lease.holder()
                        + ", executing only while it holds the lease ("
                        + lease.duration()
                        + ")";
    }

    /** A clean stop hands the lease over at once, not after it runs out. */
    public void release() {
        if (lease != null && role == Role.LEADER) {
            try {
                lease.release(epoch);
            } catch (RuntimeException e) {
                LOG.warn("could not release the liquidator lease: {}", e.toString());
            }
        }
    }

    private void leadOrStandBy() {
        OptionalLong held;
        try {
            held = lease.acquireOrRenew();
        } catch (RuntimeException e) {
            // The database cannot be asked: the fence would refuse every write anyway. Stand by.
            held = OptionalLong.empty();
            LOG.warn("cannot renew the liquidator lease: {}", e.toString());
        }
        if (held.isEmpty()) {
            if (executor != null) {
                LOG.warn(
                        "replica {} lost the liquidator lease (epoch {}); standing by",
                        lease.holder(),
                        epoch);
            }
            executor = null;
            role = Role.STANDBY;
            metrics.leadership(false, 0);
            return;
        }
        if (executor == null || epoch != held.getAsLong()) {
            executor = newExecutor.apply(store.fenced(lease, held.getAsLong()));
            epoch = held.getAsLong();
            role = Role.LEADER;
            metrics.leadership(true, epoch);
            LOG.info(
                    "replica {} holds the liquidator lease, epoch {}: executing liquidations",
                    lease.holder(),
                    epoch);
        }
    }
}
