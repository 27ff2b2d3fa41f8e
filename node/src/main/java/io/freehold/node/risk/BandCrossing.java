package io.freehold.node.risk;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A position moved from one health band to another: a price update, interest, or the position's own
 * change carried it across a threshold. Also sent after a reset (start-up, reorg rollback) for
 * every position whose band differs from what the engine had; a position the engine did not know
 * was {@link HealthBand#HEALTHY}.
 *
 * <p>The position's numbers ({@link #position()}) are valued when first asked for, as of {@link
 * #asOf()}: a price shock can move many positions at once, and valuing them all is BigInteger work
 * that a listener may want to do off the follower's thread, or not at all.
 */
public final class BandCrossing {

    private final MarketId marketId;
    private final Address account;
    private final HealthBand from;
    private final HealthBand to;
    private final Checkpoint asOf;
    private final Supplier<PositionRisk> valuation;
    private volatile PositionRisk position;

    BandCrossing(
            MarketId marketId,
            Address account,
            HealthBand from,
            HealthBand to,
            Checkpoint asOf,
            Supplier<PositionRisk> valuation) {
        this.marketId = Objects.requireNonNull(marketId, "marketId");
        this.account = Objects.requireNonNull(account, "account");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.asOf = Objects.requireNonNull(asOf, "asOf");
        this.valuation = Objects.requireNonNull(valuation, "valuation");
        if (from == to) {
            throw new IllegalArgumentException(
                    "a crossing needs two bands, got " + from + " twice");
        }
    }

    public MarketId marketId() {
        return marketId;
    }

    public Address account() {
        return account;
    }

    /** The band before. */
    public HealthBand from() {
        return from;
    }

    /** The band after. */
    public HealthBand to() {
        return to;
    }

    /** The block that moved the position. */
    public Checkpoint asOf() {
        return asOf;
    }

    /**
     * The position as of {@link #asOf()} (its {@code band()} is {@link #to()}); valued on the first
     * call.
     */
    public PositionRisk position() {
        PositionRisk p = position;
        if (p == null) {
            p = valuation.get(); // from immutable inputs: two threads racing here get equal answers
            position = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "BandCrossing["
                + marketId
                + " "
                + account
                + " "
                + from
                + " -> "
                + to
                + " at block "
                + asOf.number()
                + "]";
    }
}
