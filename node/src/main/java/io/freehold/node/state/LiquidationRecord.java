package io.freehold.node.state;

import static io.freehold.types.Uint256.check;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One {@code Liquidate} log of the pool, kept as history (the API's ListLiquidations): who
 * liquidated whom, what was repaid (loan-token base units and borrow shares), what collateral was
 * seized (collateral-token base units), and the bad debt written off when the collateral ran out.
 * Identified by where the log is: block number and the log's index in the block.
 */
public record LiquidationRecord(
        long blockNumber,
        long logIndex,
        MarketId marketId,
        Address liquidator,
        Address borrower,
        Address receiver,
        BigInteger repaidAssets,
        BigInteger repaidShares,
        BigInteger seizedCollateral,
        BigInteger badDebtAssets,
        BigInteger badDebtShares,
        String transactionHash,
        long timestamp) {

    public LiquidationRecord {
        if (blockNumber < 0 || logIndex < 0) {
            throw new IllegalArgumentException("block number and log index must not be negative");
        }
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(liquidator, "liquidator");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(receiver, "receiver");
        check(repaidAssets, "repaidAssets");
        check(repaidShares, "repaidShares");
        check(seizedCollateral, "seizedCollateral");
        check(badDebtAssets, "badDebtAssets");
        check(badDebtShares, "badDebtShares");
        Objects.requireNonNull(transactionHash, "transactionHash");
    }
}
