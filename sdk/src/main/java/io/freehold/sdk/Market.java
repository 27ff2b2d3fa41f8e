package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An isolated lending market (one property token as collateral, one stablecoin to lend) with its
 * totals accrued to {@link #asOfTime()}.
 *
 * <p>Amounts are {@link BigInteger}s of token base units; ratios and rates are {@link Wad}s.
 *
 * <pre>{@code
 * Market m = client.market(MarketId.fromHex("0x3f1c..."));
 * m.parameters().lltv();     // e.g. 0.8
 * m.appraisal().stale();     // true: no borrows or liquidations now
 * m.positionsLiquidatable();
 * }</pre>
 *
 * @param totalSupplyAssets loan-token base units
 * @param totalBorrowAssets loan-token base units
 * @param totalCollateral collateral-token base units
 * @param utilization borrowed ÷ supplied
 * @param borrowApr the per-second rate × seconds per year
 * @param paused the property token is paused: no transfers, no liquidations
 * @param flags why the node will not liquidate in this market now ("price stale", "token paused");
 *     empty if none
 */
public record Market(
        MarketId marketId,
        Address collateralToken,
        Address loanToken,
        Address oracle,
        Parameters parameters,
        BigInteger totalSupplyAssets,
        BigInteger totalSupplyShares,
        BigInteger totalBorrowAssets,
        BigInteger totalBorrowShares,
        BigInteger totalCollateral,
        Wad utilization,
        Wad borrowApr,
        Appraisal appraisal,
        boolean paused,
        List<String> flags,
        long positionsHealthy,
        long positionsWarning,
        long positionsLiquidatable,
        Cursor asOf,
        Instant asOfTime) {

    /** 10<sup>36</sup>: the scale of oracle prices and of {@link Position#liquidationPrice()}. */
    public static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);

    public Market {
        Objects.requireNonNull(marketId, "marketId");
        flags = List.copyOf(flags);
    }

    /**
     * What is fixed at the market's creation.
     *
     * @param lltv above this LTV a position may be liquidated
     * @param maxLtv borrowing and withdrawing collateral stop here
     * @param liquidationIncentive seized collateral is worth repaid × incentive
     * @param supplyCap loan-token base units, zero for none
     * @param borrowCap loan-token base units, zero for none
     * @param minLeftoverDebt loan-token base units
     */
    public record Parameters(
            Wad lltv,
            Wad maxLtv,
            Wad liquidationIncentive,
            Wad baseRatePerYear,
            Wad slope1PerYear,
            Wad slope2PerYear,
            Wad kinkUtilization,
            BigInteger supplyCap,
            BigInteger borrowCap,
            BigInteger minLeftoverDebt) {}

    /**
     * The appraisal the market prices collateral with.
     *
     * @param price loan-token base units per collateral-token base unit × {@link #PRICE_SCALE}
     * @param updatedAt when the appraisal was made
     * @param ageSeconds its age at {@code asOf}
     * @param maxAgeSeconds the feed's staleness limit (a uint256 on chain)
     * @param stale older than the limit: the contract refuses borrows and liquidations
     */
    public record Appraisal(
            BigInteger price,
            Instant updatedAt,
            long ageSeconds,
            BigInteger maxAgeSeconds,
            boolean stale) {}
}
