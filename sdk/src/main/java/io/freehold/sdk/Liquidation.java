package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A liquidation that happened on chain: one {@code Liquidate} log of the pool, as the node stored
 * it.
 *
 * <pre>{@code
 * client.liquidations().list(LiquidationQuery.all())
 *         .forEach(l -> System.out.println(l.borrower() + " repaid " + l.repaidAssets() + " in block " + l.blockNumber()));
 * }</pre>
 *
 * @param marketId the market
 * @param liquidator who sent the liquidation
 * @param borrower whose position was liquidated
 * @param receiver who received the seized collateral
 * @param repaidAssets loan-token base units repaid
 * @param repaidShares borrow shares repaid
 * @param seizedCollateral collateral-token base units seized
 * @param badDebtAssets loan-token base units written off (the collateral ran out), usually zero
 * @param badDebtShares borrow shares written off
 * @param blockNumber the block it is in
 * @param transactionHash the transaction
 * @param time the block's timestamp
 */
public record Liquidation(
        MarketId marketId,
        Address liquidator,
        Address borrower,
        Address receiver,
        BigInteger repaidAssets,
        BigInteger repaidShares,
        BigInteger seizedCollateral,
        BigInteger badDebtAssets,
        BigInteger badDebtShares,
        long blockNumber,
        String transactionHash,
        Instant time) {

    public Liquidation {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(transactionHash, "transactionHash");
    }
}
