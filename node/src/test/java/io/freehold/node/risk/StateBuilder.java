package io.freehold.node.risk;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.ingest.AppliedRange;
import io.freehold.node.ingest.AppliedRange.PositionKey;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.store.ReversibleChange;
import io.freehold.node.store.StateSnapshot;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.MarketId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node state made by hand, block by block, for engine tests without a chain: markets, positions,
 * feeds and token flags are set directly, and each {@link #mine} gives the {@link ChainState} the
 * follower would hold after the block and the {@link AppliedRange} it would tell its listeners.
 */
final class StateBuilder {

    static final BigInteger WAD = BigInteger.TEN.pow(18);
    static final Address ORACLE = address(0xA11CE);

    final Map<MarketId, MarketRecord> markets = new LinkedHashMap<>();
    final Map<PositionKey, PositionRecord> positions = new LinkedHashMap<>();
    final Map<Address, PriceFeedRecord> feeds = new LinkedHashMap<>();
    final Map<Address, TokenRecord> tokens = new LinkedHashMap<>();
    private final Set<MarketId> changedMarkets = new HashSet<>();
    private final Set<PositionKey> changedPositions = new HashSet<>();
    private final Set<Address> changedTokens = new HashSet<>();
    long block;
    long timestamp;

    StateBuilder(long block, long timestamp) {
        this.block = block;
        this.timestamp = timestamp;
    }

    static Address address(long n) {
        return Address.of(String.format("0x%040x", n));
    }

    static MarketId marketId(long n) {
        return MarketId.of(String.format("0x%064x", n));
    }

    static BigInteger wad(String decimal) {
        return new BigDecimal(decimal).multiply(new BigDecimal(WAD)).toBigIntegerExact();
    }

    /**
     * A market on {@code token} with the local system's parameters (lltv 0.75, maxLtv 0.65) and
     * this oracle.
     */
    MarketId market(long n, Address token, Address oracle) {
        MarketId id = marketId(n);
        MarketTerms params =
                new MarketTerms(
                        token,
                        address(0x05D),
                        oracle,
                        wad("0.75"),
                        wad("0.65"),
                        wad("1.08"),
                        wad("0.02"),
                        wad("0.06"),
                        wad("0.8"),
                        wad("0.8"),
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.TEN.pow(7));
        markets.put(id, new MarketRecord(id, params, MarketState.created(timestamp)));
        changedMarkets.add(id);
        tokens.putIfAbsent(
                token,
                new TokenRecord(token, false, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
        changedTokens.add(token);
        return id;
    }

    void totals(MarketId id, MarketState totals) {
        markets.put(id, markets.get(id).withTotals(totals));
        changedMarkets.add(id);
    }

    void feed(Address token, BigInteger price, long updatedAt, long maxAge) {
        feeds.put(
                token,
                new PriceFeedRecord(token, price, updatedAt, BigInteger.valueOf(maxAge), 1_000));
        changedTokens.add(token);
    }

    void paused(Address token, boolean paused) {
        TokenRecord t = tokens.get(token);
        tokens.put(
                token,
                new TokenRecord(
                        token,
                        paused,
                        t.rentPerToken(),
                        t.poolRentIndex(),
                        t.poolTotalCollateral()));
        changedTokens.add(token);
    }

    void position(
            MarketId id,
            Address account,
            BigInteger supplyShares,
            BigInteger borrowShares,
            BigInteger collateral) {
        PositionKey key = new PositionKey(id, account);
        positions.put(
                key,
                new PositionRecord(
                        id,
                        account,
                        supplyShares,
                        borrowShares,
                        collateral,
                        BigInteger.ZERO,
                        BigInteger.ZERO));
        changedPositions.add(key);
    }

    Optional<PositionRecord> position(MarketId id, Address account) {
        return Optional.ofNullable(positions.get(new PositionKey(id, account)));
    }

    /** The state as of the block being built, every row final. */
    ChainState state() {
        return state(List.of());
    }

    /** The state as of the block being built, with these rows changed by blocks not yet final. */
    ChainState state(List<ReversibleChange> unconfirmed) {
        return ChainState.of(
                new StateSnapshot(
                        Optional.of(checkpoint()),
                        List.of(),
                        new ArrayList<>(markets.values()),
                        new ArrayList<>(positions.values()),
                        new ArrayList<>(feeds.values()),
                        new ArrayList<>(tokens.values()),
                        List.of(),
                        List.of()),
                unconfirmed);
    }

    Checkpoint checkpoint() {
        return new Checkpoint(block, BlockHash.of(String.format("0x%064x", block)), timestamp);
    }

    /**
     * Ends the block being built ({@link #block} at {@link #timestamp}): what the follower would
     * hand its listeners for it. The next block starts {@code seconds} later.
     */
    AppliedRange mine() {
        AppliedRange range =
                new AppliedRange(
                        block,
                        block,
                        timestamp,
                        false,
                        changedMarkets,
                        changedPositions,
                        changedTokens);
        changedMarkets.clear();
        changedPositions.clear();
        changedTokens.clear();
        return range;
    }

    /** Moves to the next block, {@code seconds} later. */
    void next(long seconds) {
        block++;
        timestamp += seconds;
    }
}
