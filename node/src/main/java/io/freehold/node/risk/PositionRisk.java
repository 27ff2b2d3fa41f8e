package io.freehold.node.risk;

import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.node.state.Checkpoint;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One position's risk as of one block: the numbers of the pool's {@code position(id, account)} view
 * at that block, to the wei (interest accrued to the block's timestamp, the oracle's latest price),
 * and the node's reading of them.
 *
 * @param valuation the view's numbers: shares, supply assets, debt (rounded up), collateral, its
 *     value, LTV, health factor, liquidation price, max borrowable and the price used (claimable
 *     rent aside)
 * @param band the health factor's band ({@link RiskConfiguration#warningHealthFactor})
 * @param marketFlags why the node will not liquidate in this market now, if anything; empty when it
 *     may
 * @param appraisalAgeSeconds how old the price is at {@code asOf}
 * @param healthFactorAfterHaircut the health factor with the price discounted for its age ({@link
 *     RiskConfiguration#ageHaircutBpsPerYear}); informational, nothing acts on it
 * @param asOf the block the numbers are for
 * @param unconfirmedSince the newest block not yet final that changed anything these numbers rest
 *     on (the position, the market's totals, the price, the token's flags); empty when all of it is
 *     final. Anything irreversible should not rest on such a block alone: it may still be orphaned.
 * @param claimableRent rent-token base units {@code claimRent} would pay the account now: the
 *     view's {@code claimableRent} (settled rent plus its part of what the property token owes the
 *     pool)
 * @param liquidationTerms the market's: fixed incentive or auction, and its cure window
 * @param cureFlag the position's cure flag and auction lock, as the pool's {@code cureFlag} view
 * @param cureFlagHolds whether the flag holds under the latest appraisal (the pool's {@code
 *     _flagHolds}): a flag that does not hold gives no window end, and flagging again starts a new
 *     window
 * @param actionable whether the pool accepts the position now: {@code liquidate} on a
 *     fixed-incentive market, the auction's {@code start} on an auction market (its {@code
 *     isLiquidatable}): {@link #liquidatable()}, not in auction, and on a market with a cure window
 *     flagged with the window over, or under the hard floor
 * @param auction the position's active auction at {@code asOf}, if it is in one
 */
public record PositionRisk(
        MarketId marketId,
        Address account,
        PositionValuation valuation,
        HealthBand band,
        Set<MarketFlag> marketFlags,
        long appraisalAgeSeconds,
        BigInteger healthFactorAfterHaircut,
        Checkpoint asOf,
        OptionalLong unconfirmedSince,
        BigInteger claimableRent,
        LiquidationTerms liquidationTerms,
        CureFlagState cureFlag,
        boolean cureFlagHolds,
        boolean actionable,
        Optional<AuctionStanding> auction) {

    public PositionRisk {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(valuation, "valuation");
        Objects.requireNonNull(band, "band");
        marketFlags = Set.copyOf(marketFlags);
        Objects.requireNonNull(healthFactorAfterHaircut, "healthFactorAfterHaircut");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(unconfirmedSince, "unconfirmedSince");
        Objects.requireNonNull(claimableRent, "claimableRent");
        Objects.requireNonNull(liquidationTerms, "liquidationTerms");
        Objects.requireNonNull(cureFlag, "cureFlag");
        Objects.requireNonNull(auction, "auction");
    }

    /** Whether the position is locked in its market's auction. */
    public boolean inAuction() {
        return cureFlag.inAuction();
    }

    /**
     * When the position's cure window ends (unix seconds): its flag's start plus the market's
     * window, while the flag holds; empty without a flag that holds or on a market without a
     * window.
     */
    public OptionalLong cureWindowEndsAt() {
        if (!liquidationTerms.hasCureWindow() || !cureFlagHolds) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(cureFlag.flaggedAt() + liquidationTerms.cureWindowSeconds());
    }

    /**
     * What the pool's {@code isLiquidatable(id, account)} view answers: health factor below 1 in a
     * market whose price is fresh and whose token is not paused (and, the node's own condition,
     * whose oracle it follows).
     */
    public boolean liquidatable() {
        return band == HealthBand.LIQUIDATABLE && marketFlags.isEmpty();
    }

    /** Loan-token base units owed, rounded up. */
    public BigInteger debt() {
        return valuation.debt();
    }

    /** Collateral-token base units locked. */
    public BigInteger collateral() {
        return valuation.collateral();
    }

    /** Loan-token base units, rounded down. */
    public BigInteger collateralValue() {
        return valuation.collateralValue();
    }

    /** WAD, rounded up. */
    public BigInteger ltv() {
        return valuation.ltv();
    }

    /** WAD, rounded down; {@code type(uint256).max} without debt. */
    public BigInteger healthFactor() {
        return valuation.healthFactor();
    }

    /** PRICE_SCALE; liquidatable exactly below it; 0 without debt. */
    public BigInteger liquidationPrice() {
        return valuation.liquidationPrice();
    }

    /** The largest borrow the maxLtv check accepts now (liquidity and caps aside). */
    public BigInteger maxBorrowable() {
        return valuation.maxBorrowable();
    }

    /** The appraisal used (PRICE_SCALE). */
    public BigInteger price() {
        return valuation.price();
    }
}
