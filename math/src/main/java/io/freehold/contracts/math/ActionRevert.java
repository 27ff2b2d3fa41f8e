package io.freehold.contracts.math;

/**
 * Why a borrower's or lender's action would revert, as far as the pool's math decides it.
 *
 * <p>Not here, and the caller's business: {@code ZeroAddress} (a zero receiver or onBehalf), {@code
 * MarketNotFound}, {@code StalePrice} (borrow, and withdrawCollateral with debt, need a fresh
 * appraisal; the contract checks it after accruing and, for withdrawCollateral, after {@link
 * #INSUFFICIENT_COLLATERAL}), {@code RentNotInLoanToken}, and what the tokens refuse (balance,
 * allowance, compliance of a property token transfer).
 */
public enum ActionRevert implements RevertReason {
    /**
     * An amount of zero, or a withdraw-all worth zero assets, or a repay-with-rent with no rent.
     */
    ZERO_AMOUNT("ZeroAmount()"),
    /** The amount is worth less than one share. */
    ZERO_SHARES("ZeroShares()"),
    /** (totalSupplyAssets after, supplyCap) */
    SUPPLY_CAP_EXCEEDED("SupplyCapExceeded(uint256,uint256)"),
    /** (totalBorrowAssets after, borrowCap) */
    BORROW_CAP_EXCEEDED("BorrowCapExceeded(uint256,uint256)"),
    /** (available, requested) */
    INSUFFICIENT_LIQUIDITY("InsufficientLiquidity(uint256,uint256)"),
    /** (shares to burn, shares owned) */
    INSUFFICIENT_SUPPLY_SHARES("InsufficientSupplyShares(uint256,uint256)"),
    /** (requested, owned) */
    INSUFFICIENT_COLLATERAL("InsufficientCollateral(uint256,uint256)"),
    /** (assets, debt); also any repay of a position without debt */
    REPAY_EXCEEDS_DEBT("RepayExceedsDebt(uint256,uint256)"),
    /** (debt after, maxDebt(maxLtv) after) */
    MAX_LTV_EXCEEDED("MaxLtvExceeded(uint256,uint256)"),
    /**
     * (owner): the position's owner is unverified or frozen in the property token; borrow,
     * withdrawCollateral and supplyCollateral (for onBehalf) check it first, before the math. The
     * previews do not know who is verified: the caller checks it, as it checks the token's own
     * compliance.
     */
    OWNER_NOT_ALLOWED("OwnerNotAllowed(address)"),
    /**
     * (token): borrow refuses while the property token is paused (checked first, before the owner
     * and the price). The previews do not know the pause: the caller checks it.
     */
    COLLATERAL_PAUSED("CollateralPaused(address)");

    private final String errorSignature;

    ActionRevert(String errorSignature) {
        this.errorSignature = errorSignature;
    }

    @Override
    public String errorSignature() {
        return errorSignature;
    }
}
