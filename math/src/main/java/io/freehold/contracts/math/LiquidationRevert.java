package io.freehold.contracts.math;

/**
 * Why a liquidation would revert, as far as the pool's math decides it, in the order the contract
 * checks.
 *
 * <p>Not here, and the caller's business: {@code ZeroAddress}, {@code CollateralPaused}, {@code
 * ReceiverNotAllowed} (the receiver must be verified and unfrozen in the property token) and {@code
 * StalePrice}, which the contract checks in that order before anything below except {@link
 * #ZERO_AMOUNT}; and what the loan token refuses (the liquidator's balance and allowance).
 */
public enum LiquidationRevert implements RevertReason {
    /** A requested repayment of zero. */
    ZERO_AMOUNT("ZeroAmount()"),
    /** (healthFactor): at or above 1e18, nothing to liquidate. */
    POSITION_HEALTHY("PositionHealthy(uint256)"),
    /** The repayment is worth less than one borrow share. */
    ZERO_SHARES("ZeroShares()"),
    /**
     * (remaining debt, remaining collateral value): a partial liquidation leaving less than
     * minLeftoverDebt.
     */
    MUST_NOT_LEAVE_DUST("MustNotLeaveDust(uint256,uint256)"),
    /** (healthFactor before, after): a partial liquidation that would lower the health factor. */
    HEALTH_WOULD_WORSEN("HealthWouldWorsen(uint256,uint256)");

    private final String errorSignature;

    LiquidationRevert(String errorSignature) {
        this.errorSignature = errorSignature;
    }

    @Override
    public String errorSignature() {
        return errorSignature;
    }
}
