package io.freehold.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * A position before and after a {@link Simulation}.
 *
 * <pre>{@code
 * SimulationResult r = client.simulate(Simulation.repay(marketId, borrower, amount));
 * r.after().healthFactor();
 * }</pre>
 *
 * @param before the position now
 * @param after the position after the change; {@code before} when the contract would refuse it
 * @param revertReason the contract's error (e.g. {@code "MaxLtvExceeded"}) when it would refuse
 */
public record SimulationResult(Position before, Position after, Optional<String> revertReason) {

    public SimulationResult {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(revertReason, "revertReason");
    }

    /** Whether the contract would refuse the change. */
    public boolean wouldRevert() {
        return revertReason.isPresent();
    }
}
