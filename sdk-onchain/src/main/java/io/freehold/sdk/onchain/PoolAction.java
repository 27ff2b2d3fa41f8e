package io.freehold.sdk.onchain;

/**
 * What a {@link PoolReceipt} did, named by the pool function it called.
 *
 * <pre>{@code
 * PoolReceipt r = pool.borrow(marketId, amount);
 * r.action();  // PoolAction.BORROW
 * }</pre>
 */
public enum PoolAction {
    /** {@code supplyCollateral}: property tokens locked as collateral. */
    SUPPLY_COLLATERAL("supplyCollateral"),
    /** {@code withdrawCollateral}: property tokens unlocked. */
    WITHDRAW_COLLATERAL("withdrawCollateral"),
    /** {@code borrow}: stablecoin lent to the caller. */
    BORROW("borrow"),
    /** {@code repay}: debt paid back. */
    REPAY("repay"),
    /** {@code supply}: stablecoin lent to the pool. */
    SUPPLY("supply"),
    /** {@code withdraw}: supplied stablecoin taken back. */
    WITHDRAW("withdraw"),
    /** {@code liquidate}: someone else's unhealthy debt repaid for their collateral. */
    LIQUIDATE("liquidate"),
    /** {@code claimRent}: the rent of the caller's locked collateral paid out. */
    CLAIM_RENT("claimRent"),
    /** {@code repayWithRent}: the caller's debt repaid from the rent of its locked collateral. */
    REPAY_WITH_RENT("repayWithRent");

    private final String functionName;

    PoolAction(String functionName) {
        this.functionName = functionName;
    }

    /** The pool function, e.g. {@code supplyCollateral}. */
    public String functionName() {
        return functionName;
    }
}
