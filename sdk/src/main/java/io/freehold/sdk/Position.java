package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One account in one market, valued as the pool's {@code position(id, account)} view values it at
 * {@link #asOf()}.
 *
 * <p>Amounts are {@link BigInteger}s of token base units, exactly as the contract stores them: the
 * API does not carry token decimals, so wrap them with {@link TokenAmount#of(BigInteger, int)} when
 * you know the token. Ratios are {@link Wad}s; prices are the oracle's, loan-token base units per
 * collateral-token base unit times 10<sup>36</sup> ({@link Market#PRICE_SCALE}).
 *
 * <pre>{@code
 * Position p = client.position(marketId, Address.fromHex("0xf39f..."));
 * if (p.healthFactor().isLiquidatable() && !p.marketFlagged()) {
 *     TokenAmount debt = TokenAmount.of(p.debt(), 6);
 * }
 * if (p.protocol() == Protocol.AAVE_V3) {
 *     AaveAccount a = p.aave().orElseThrow();  // getUserAccountData's figures
 * }
 * }</pre>
 *
 * @param marketId the market
 * @param account the borrower or lender
 * @param supplyShares supply shares
 * @param supplyAssets loan-token base units, rounded down
 * @param borrowShares borrow shares
 * @param debt loan-token base units, rounded up, accrued to {@code asOfTime}
 * @param collateral collateral-token base units
 * @param collateralValue loan-token base units
 * @param ltv loan to value
 * @param healthFactor {@link HealthFactor#NO_DEBT} without debt
 * @param liquidationPrice scaled by 10<sup>36</sup>: liquidatable exactly when the price is below
 *     it
 * @param maxBorrowable loan-token base units under the max LTV (liquidity and caps aside)
 * @param band where the position stands against the liquidation line
 * @param healthFactorAfterHaircut the health factor after the node's informational haircut for
 *     appraisal age
 * @param marketFlagged the price is stale or the token paused: no liquidation now
 * @param unconfirmedSinceBlock set when the position rests on blocks that are not final yet
 * @param asOf the block the values are from
 * @param asOfTime the block timestamp of {@code asOf}
 * @param claimableRent rent-token base units {@code claimRent} would pay the account now, as the
 *     pool's {@code position} view's {@code claimableRent}: rent the pool holds for this position's
 *     locked collateral (0 from a node that does not report it); {@link #claimableRent(int)} wraps
 *     it
 * @param actionability whether the pool would act on it now: its cure window and its auction
 * @param protocol {@link Protocol#FREEHOLD} for Freehold's pool (and from nodes before the field),
 *     {@link Protocol#AAVE_V3} for an account of the Aave pool a node follows
 * @param aave the account's {@code getUserAccountData} figures, eMode and per-reserve balances when
 *     {@code protocol} is {@link Protocol#AAVE_V3}; empty otherwise. An Aave account has {@code
 *     marketId}, {@code account}, {@code healthFactor} (the pool's), {@code band}, {@code asOf} and
 *     {@code asOfTime} set; the fields that only describe a Freehold position (shares, {@code
 *     debt}, {@code collateral}, {@code collateralValue}, {@code ltv}, {@code liquidationPrice},
 *     {@code maxBorrowable}, {@code healthFactorAfterHaircut}) are {@code null}, {@code
 *     claimableRent} zero and {@code actionability} {@link Actionability#UNKNOWN}: read {@code
 *     aave()} instead, whose amounts are in the pool's units
 */
public record Position(
        MarketId marketId,
        Address account,
        BigInteger supplyShares,
        BigInteger supplyAssets,
        BigInteger borrowShares,
        BigInteger debt,
        BigInteger collateral,
        BigInteger collateralValue,
        Wad ltv,
        HealthFactor healthFactor,
        BigInteger liquidationPrice,
        BigInteger maxBorrowable,
        HealthBand band,
        HealthFactor healthFactorAfterHaircut,
        boolean marketFlagged,
        OptionalLong unconfirmedSinceBlock,
        Cursor asOf,
        Instant asOfTime,
        BigInteger claimableRent,
        Actionability actionability,
        Protocol protocol,
        Optional<AaveAccount> aave) {

    public Position {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(aave, "aave");
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(unconfirmedSinceBlock, "unconfirmedSinceBlock");
        Objects.requireNonNull(claimableRent, "claimableRent");
        Objects.requireNonNull(actionability, "actionability");
    }

    /** A position in Freehold's pool (as the fields before {@code protocol}). */
    public Position(
            MarketId marketId,
            Address account,
            BigInteger supplyShares,
            BigInteger supplyAssets,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger collateral,
            BigInteger collateralValue,
            Wad ltv,
            HealthFactor healthFactor,
            BigInteger liquidationPrice,
            BigInteger maxBorrowable,
            HealthBand band,
            HealthFactor healthFactorAfterHaircut,
            boolean marketFlagged,
            OptionalLong unconfirmedSinceBlock,
            Cursor asOf,
            Instant asOfTime,
            BigInteger claimableRent,
            Actionability actionability) {
        this(
                marketId,
                account,
                supplyShares,
                supplyAssets,
                borrowShares,
                debt,
                collateral,
                collateralValue,
                ltv,
                healthFactor,
                liquidationPrice,
                maxBorrowable,
                band,
                healthFactorAfterHaircut,
                marketFlagged,
                unconfirmedSinceBlock,
                asOf,
                asOfTime,
                claimableRent,
                actionability,
                Protocol.FREEHOLD,
                Optional.empty());
    }

    /**
     * A position without cure window or auction details (as the fields before {@code
     * actionability}).
     */
    public Position(
            MarketId marketId,
            Address account,
            BigInteger supplyShares,
            BigInteger supplyAssets,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger collateral,
            BigInteger collateralValue,
            Wad ltv,
            HealthFactor healthFactor,
            BigInteger liquidationPrice,
            BigInteger maxBorrowable,
            HealthBand band,
            HealthFactor healthFactorAfterHaircut,
            boolean marketFlagged,
            OptionalLong unconfirmedSinceBlock,
            Cursor asOf,
            Instant asOfTime,
            BigInteger claimableRent) {
        this(
                marketId,
                account,
                supplyShares,
                supplyAssets,
                borrowShares,
                debt,
                collateral,
                collateralValue,
                ltv,
                healthFactor,
                liquidationPrice,
                maxBorrowable,
                band,
                healthFactorAfterHaircut,
                marketFlagged,
                unconfirmedSinceBlock,
                asOf,
                asOfTime,
                claimableRent,
                Actionability.UNKNOWN);
    }

    /** A position without claimable rent (as the fields before {@code claimableRent}). */
    public Position(
            MarketId marketId,
            Address account,
            BigInteger supplyShares,
            BigInteger supplyAssets,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger collateral,
            BigInteger collateralValue,
            Wad ltv,
            HealthFactor healthFactor,
            BigInteger liquidationPrice,
            BigInteger maxBorrowable,
            HealthBand band,
            HealthFactor healthFactorAfterHaircut,
            boolean marketFlagged,
            OptionalLong unconfirmedSinceBlock,
            Cursor asOf,
            Instant asOfTime) {
        this(
                marketId,
                account,
                supplyShares,
                supplyAssets,
                borrowShares,
                debt,
                collateral,
                collateralValue,
                ltv,
                healthFactor,
                liquidationPrice,
                maxBorrowable,
                band,
                healthFactorAfterHaircut,
                marketFlagged,
                unconfirmedSinceBlock,
                asOf,
                asOfTime,
                BigInteger.ZERO);
    }

    /**
     * The claimable rent as an amount of the property token's rent token (its {@code rentToken()},
     * often the market's loan token), which has {@code rentTokenDecimals} decimals.
     */
    public TokenAmount claimableRent(int rentTokenDecimals) {
        return TokenAmount.of(claimableRent, rentTokenDecimals);
    }
}
