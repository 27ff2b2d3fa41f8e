package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * m.aave().ifPresent(pool -> pool.reserves().forEach(System.out::println));  // an Aave pool
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
 * @param protocol {@link Protocol#FREEHOLD} for Freehold's pool (and from nodes before the field),
 *     {@link Protocol#AAVE_V3} for the Aave pool a node follows with {@code
 *     freehold.node.protocol=aave-v3}
 * @param aave the pool and its reserves when {@code protocol} is {@link Protocol#AAVE_V3}; empty
 *     otherwise. An Aave pool is one market (its id the pool's address left-padded to 32 bytes)
 *     with {@code marketId}, {@code oracle}, the {@code positions*} counts (accounts with debt by
 *     band), {@code asOf} and {@code asOfTime} set; the fields that only describe a Freehold market
 *     ({@code collateralToken}, {@code loanToken}, {@code parameters}, the totals, {@code
 *     utilization}, {@code borrowApr}, {@code appraisal}) are {@code null}, {@code paused} false
 *     and {@code flags} empty
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
        Instant asOfTime,
        Protocol protocol,
        Optional<AaveMarket> aave) {

    /** 10<sup>36</sup>: the scale of oracle prices and of {@link Position#liquidationPrice()}. */
    public static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);

    public Market {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(aave, "aave");
        flags = List.copyOf(flags);
    }

    /** A market of Freehold's pool (as the fields before {@code protocol}). */
    public Market(
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
        this(
                marketId,
                collateralToken,
                loanToken,
                oracle,
                parameters,
                totalSupplyAssets,
                totalSupplyShares,
                totalBorrowAssets,
                totalBorrowShares,
                totalCollateral,
                utilization,
                borrowApr,
                appraisal,
                paused,
                flags,
                positionsHealthy,
                positionsWarning,
                positionsLiquidatable,
                asOf,
                asOfTime,
                Protocol.FREEHOLD,
                Optional.empty());
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
