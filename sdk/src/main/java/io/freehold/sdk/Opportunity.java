package io.freehold.sdk;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A position that is liquidatable, or close to it, and what liquidating it now would move, computed
 * by the node with the contract's own liquidation math on its state at the event's cursor.
 *
 * <pre>{@code
 * if (o.liquidatable() && !o.nodeWillAct() && o.expectedIncentive().compareTo(minProfit) > 0) {
 *     pool.liquidate(o.position().marketId(), o.position().account(), o.maxRepay());
 * }
 * }</pre>
 *
 * @param position the position, valued as in {@link Position}
 * @param liquidatable the contract would accept a liquidation now
 * @param maxRepay loan-token base units the close factor allows to repay
 * @param seizedCollateral collateral-token base units {@code maxRepay} would seize
 * @param expectedIncentive loan-token base units: the seized collateral's value minus the
 *     repayment, before gas
 * @param nodeWillAct the node runs in execute mode and will try this one itself
 * @param nodeSkipReason why the node will not, when it will not
 * @param aave on an Aave pool ({@code position().protocol()} {@link Protocol#AAVE_V3}): which
 *     {@code liquidationCall} the figures are for; {@code maxRepay} and {@code expectedIncentive}
 *     are then in its debt asset's base units and {@code seizedCollateral} in its collateral
 *     asset's. Empty on a Freehold market
 */
public record Opportunity(
        Position position,
        boolean liquidatable,
        BigInteger maxRepay,
        BigInteger seizedCollateral,
        BigInteger expectedIncentive,
        boolean nodeWillAct,
        Optional<String> nodeSkipReason,
        Optional<AaveLiquidationCall> aave) {

    public Opportunity {
        Objects.requireNonNull(aave, "aave");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(maxRepay, "maxRepay");
        Objects.requireNonNull(seizedCollateral, "seizedCollateral");
        Objects.requireNonNull(expectedIncentive, "expectedIncentive");
        Objects.requireNonNull(nodeSkipReason, "nodeSkipReason");
    }

    /** An opportunity in Freehold's pool (as the fields before {@code aave}). */
    public Opportunity(
            Position position,
            boolean liquidatable,
            BigInteger maxRepay,
            BigInteger seizedCollateral,
            BigInteger expectedIncentive,
            boolean nodeWillAct,
            Optional<String> nodeSkipReason) {
        this(
                position,
                liquidatable,
                maxRepay,
                seizedCollateral,
                expectedIncentive,
                nodeWillAct,
                nodeSkipReason,
                Optional.empty());
    }
}
