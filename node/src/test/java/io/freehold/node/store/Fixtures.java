package io.freehold.node.store;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.state.FrozenAccount;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.List;

/** Deterministic test values: addresses, ids, hashes and records derived from small numbers. */
final class Fixtures {

    static final BigInteger MAX = Uint256.MAX;

    private Fixtures() {}

    static Address address(long n) {
        return new Address(String.format("0x%040x", n));
    }

    static MarketId marketId(long n) {
        return new MarketId(String.format("0x%064x", n));
    }

    /** The hash of block {@code number} on fork {@code fork} (0 = the canonical chain). */
    static BlockHash hash(long number, int fork) {
        return new BlockHash(String.format("0x%08x%056x", fork, number));
    }

    /**
     * Block {@code number} of fork {@code fork}, child of block {@code number − 1} of {@code
     * parentFork}.
     */
    static BlockHeader header(long number, int fork, int parentFork) {
        return new BlockHeader(
                number,
                hash(number, fork),
                hash(number - 1, parentFork),
                1_700_000_000L + 12 * number);
    }

    static BlockHeader header(long number) {
        return header(number, 0, 0);
    }

    static BlockChanges block(long number, boolean reversible, StateChange... changes) {
        return new BlockChanges(header(number), reversible, List.of(changes));
    }

    static BlockChanges forkBlock(
            long number, int fork, int parentFork, boolean reversible, StateChange... changes) {
        return new BlockChanges(header(number, fork, parentFork), reversible, List.of(changes));
    }

    static MarketRecord market(long n, BigInteger value, long lastUpdate) {
        MarketTerms params =
                new MarketTerms(
                        address(1000 + n),
                        address(2000 + n),
                        address(3000 + n),
                        value,
                        value,
                        value,
                        value,
                        value,
                        value,
                        value,
                        value,
                        value,
                        value);
        return new MarketRecord(
                marketId(n),
                params,
                new MarketState(value, value, value, value, value, lastUpdate));
    }

    static MarketRecord market(long n) {
        return market(n, BigInteger.valueOf(n * 1_000_000L + 7), 1_700_000_000L);
    }

    static PositionRecord position(long market, long account, BigInteger value) {
        return new PositionRecord(
                marketId(market),
                address(account),
                value,
                value.add(BigInteger.ONE),
                value.add(BigInteger.TWO),
                value.shiftLeft(1),
                value.shiftLeft(2));
    }

    static PositionRecord position(long market, long account, long value) {
        return position(market, account, BigInteger.valueOf(value));
    }

    static PriceFeedRecord priceFeed(long token, BigInteger price) {
        return new PriceFeedRecord(
                address(token), price, 1_700_000_000L, BigInteger.valueOf(86_400), 500);
    }

    static TokenRecord token(long token, boolean paused, long rent) {
        BigInteger r = BigInteger.valueOf(rent);
        return new TokenRecord(
                address(token), paused, r, r.add(BigInteger.TEN), r.multiply(BigInteger.TEN));
    }

    static FrozenAccount frozen(long token, long account) {
        return new FrozenAccount(address(token), address(account));
    }

    static VerifiedAccount verified(long account) {
        return new VerifiedAccount(address(account));
    }

    /**
     * Liquidation {@code logIndex} of block {@code number}: {@code liquidator} liquidates {@code
     * borrower} in {@code market}.
     */
    static LiquidationRecord liquidation(
            long number,
            long logIndex,
            long market,
            long liquidator,
            long borrower,
            BigInteger repaid) {
        return new LiquidationRecord(
                number,
                logIndex,
                marketId(market),
                address(liquidator),
                address(borrower),
                address(liquidator),
                repaid,
                repaid.shiftRight(1),
                MAX,
                BigInteger.ZERO,
                BigInteger.ZERO,
                String.format("0x%064x", number * 1000 + logIndex),
                1_700_000_000L + 12 * number);
    }
}
