package io.freehold.node.ingest;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.AuctionTermsRecord;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.CureFlagRecord;
import io.freehold.node.state.FrozenAccount;
import io.freehold.node.state.LiquidationTermsRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.node.store.ReversibleChange;
import io.freehold.node.store.SnapshotFile;
import io.freehold.node.store.StateSnapshot;
import io.freehold.node.store.StateStore;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The node's state in memory: what the store holds, as of {@link #checkpoint()}. One writer (the
 * follower, through {@link BlockApplier}); any number of readers, who see each record whole
 * (records are immutable and replaced, never changed) but may see one block half applied — readers
 * that need a consistent picture across records take it between blocks, as the risk engine does.
 */
public final class ChainState {

    private final Map<MarketId, MarketRecord> markets = new ConcurrentHashMap<>();
    // By account in each market: a rebuild of the risk engine's account-sorted books, and the
    // snapshot file written from here, get them in order without sorting a million again.
    private final Map<MarketId, ConcurrentNavigableMap<Address, PositionRecord>> positions =
            new ConcurrentHashMap<>();
    private final Map<Address, PriceFeedRecord> feeds = new ConcurrentHashMap<>();
    private final Map<Address, TokenRecord> tokens = new ConcurrentHashMap<>();
    private final Set<FrozenAccount> frozen = ConcurrentHashMap.newKeySet();
    private final Set<Address> verified = ConcurrentHashMap.newKeySet();
    private final Map<MarketId, LiquidationTermsRecord> liquidationTerms =
            new ConcurrentHashMap<>();
    private final Map<MarketId, AuctionTermsRecord> auctionTerms = new ConcurrentHashMap<>();
    // Only positions flagged or in auction.
    private final Map<MarketId, Map<Address, CureFlagRecord>> cureFlags = new ConcurrentHashMap<>();
    private final Map<Long, AuctionRecord> auctions = new ConcurrentHashMap<>();
    // (market, borrower) -> its active auction's id: at most one per position.
    private final Map<AppliedRange.PositionKey, Long> activeAuctions = new ConcurrentHashMap<>();
    private volatile Checkpoint checkpoint;
    // Rows changed by blocks that are not final yet: row key -> newest such block. Keys as RowKeys
    // makes them.
    private final Map<String, Long> unconfirmed = new ConcurrentHashMap<>();

    /** The state a snapshot of the store describes, nothing marked unconfirmed. */
    public static ChainState of(StateSnapshot snapshot) {
        return of(snapshot, List.of());
    }

    /**
     * The state a snapshot describes, with the rows the journal's reversible blocks changed marked
     * unconfirmed.
     */
    public static ChainState of(StateSnapshot snapshot, List<ReversibleChange> reversible) {
        ChainState state = new ChainState();
        state.checkpoint = snapshot.checkpoint().orElse(null);
        snapshot.markets().forEach(m -> state.markets.put(m.id(), m));
        // Each market's skip list built in one pass from its positions sorted by account (they come
        // so from the store and the snapshot file: the sort is then one pass), the markets on every
        // core: they share nothing.
        Map<MarketId, List<PositionRecord>> byMarket = new HashMap<>();
        for (PositionRecord p : snapshot.positions()) {
            byMarket.computeIfAbsent(p.marketId(), id -> new ArrayList<>()).add(p);
        }
        byMarket.entrySet().parallelStream()
                .forEach(
                        e ->
                                state.positions.put(
                                        e.getKey(),
                                        new ConcurrentSkipListMap<>(
                                                SortedEntries.of(
                                                        e.getValue(), PositionRecord::account))));
        snapshot.priceFeeds().forEach(f -> state.feeds.put(f.token(), f));
        snapshot.tokens().forEach(t -> state.tokens.put(t.token(), t));
        state.frozen.addAll(snapshot.frozenAccounts());
        snapshot.verifiedAccounts().forEach(v -> state.verified.add(v.account()));
        snapshot.liquidationTerms().forEach(state::putLiquidationTerms);
        snapshot.auctionTerms().forEach(state::putAuctionTerms);
        snapshot.cureFlags().forEach(state::putCureFlag);
        snapshot.auctions().forEach(state::putAuction);
        reversible.forEach(
                c ->
                        state.unconfirmed.merge(
                                c.table() + ":" + String.join(",", c.key()), c.block(), Math::max));
        return state;
    }

    /**
     * Everything the state holds, as the store would give it ({@link StateStore#loadAll()} without
     * the headers; positions by account within each market, the rest in no particular order): what
     * a {@link SnapshotFile} keeps. Take it between blocks (records are immutable, so the copy
     * holds them, not copies of them).
     */
    public StateSnapshot contents() {
        List<PositionRecord> all = new ArrayList<>();
        positions.values().forEach(inMarket -> all.addAll(inMarket.values()));
        return new StateSnapshot(
                checkpoint(),
                List.of(),
                List.copyOf(markets.values()),
                all,
                List.copyOf(feeds.values()),
                List.copyOf(tokens.values()),
                List.copyOf(frozen),
                verified.stream().map(VerifiedAccount::new).toList(),
                List.copyOf(liquidationTerms.values()),
                List.copyOf(auctionTerms.values()),
                cureFlags.values().stream()
                        .flatMap(inMarket -> inMarket.values().stream())
                        .toList(),
                auctions.values().stream()
                        .sorted(java.util.Comparator.comparingLong(AuctionRecord::auctionId))
                        .toList());
    }

    /** The last block applied; empty before the first. */
    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    public Optional<MarketRecord> market(MarketId id) {
        return Optional.ofNullable(markets.get(id));
    }

    public Collection<MarketRecord> markets() {
        return List.copyOf(markets.values());
    }

    /** The position, or empty if the account never had anything in the market. */
    public Optional<PositionRecord> position(MarketId marketId, Address account) {
        Map<Address, PositionRecord> inMarket = positions.get(marketId);
        return Optional.ofNullable(inMarket == null ? null : inMarket.get(account));
    }

    /**
     * Every position of a market (including emptied ones, kept so their rent index stays exact), by
     * account.
     */
    public Collection<PositionRecord> positions(MarketId marketId) {
        Map<Address, PositionRecord> inMarket = positions.get(marketId);
        return inMarket == null ? List.of() : List.copyOf(inMarket.values());
    }

    /** Counts them: O(n), for tools and tests. */
    public int positionCount() {
        return positions.values().stream().mapToInt(Map::size).sum();
    }

    public Optional<PriceFeedRecord> priceFeed(Address token) {
        return Optional.ofNullable(feeds.get(token));
    }

    public Optional<TokenRecord> token(Address token) {
        return Optional.ofNullable(tokens.get(token));
    }

    public boolean isFrozen(Address token, Address account) {
        return frozen.contains(new FrozenAccount(token, account));
    }

    public boolean isVerified(Address account) {
        return verified.contains(account);
    }

    /** The market's liquidation terms: {@link LiquidationTerms#FIXED} without a row. */
    public LiquidationTerms liquidationTerms(MarketId id) {
        LiquidationTermsRecord r = liquidationTerms.get(id);
        return r == null ? LiquidationTerms.FIXED : r.terms();
    }

    /** The auction market's auction parameters; empty for a market that does not auction. */
    public Optional<AuctionTerms> auctionTerms(MarketId id) {
        AuctionTermsRecord r = auctionTerms.get(id);
        return r == null ? Optional.empty() : Optional.of(r.terms());
    }

    /** The position's cure flag and auction lock, as the pool's {@code cureFlag} view. */
    public CureFlagState cureFlag(MarketId id, Address borrower) {
        Map<Address, CureFlagRecord> inMarket = cureFlags.get(id);
        CureFlagRecord r = inMarket == null ? null : inMarket.get(borrower);
        return r == null ? CureFlagState.NONE : r.flag();
    }

    /** Every position of the market flagged or in auction. */
    public Collection<CureFlagRecord> cureFlags(MarketId id) {
        Map<Address, CureFlagRecord> inMarket = cureFlags.get(id);
        return inMarket == null ? List.of() : List.copyOf(inMarket.values());
    }

    /** An auction by id, active or ended; empty for an id never started. */
    public Optional<AuctionRecord> auction(long auctionId) {
        return Optional.ofNullable(auctions.get(auctionId));
    }

    /** The position's active auction, as the auction's {@code activeAuction} view. */
    public Optional<AuctionRecord> activeAuction(MarketId id, Address borrower) {
        Long auctionId = activeAuctions.get(new AppliedRange.PositionKey(id, borrower));
        return auctionId == null ? Optional.empty() : auction(auctionId);
    }

    /** Every active auction, by id. */
    public List<AuctionRecord> activeAuctions() {
        return activeAuctions.values().stream()
                .sorted()
                .map(auctions::get)
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * How many auctions were ever started: ids run from 1, as the auction's {@code auctionCount}.
     */
    public long auctionCount() {
        return auctions.size();
    }

    // ---- unconfirmed data ---------------------------------------------------------------------

    /**
     * The newest block not yet final that changed the position or its cure flag and auction lock,
     * if any. Anything irreversible (a liquidation) must not rest on such a block alone: it may
     * still be orphaned.
     */
    public OptionalLong positionChangedUnconfirmed(MarketId marketId, Address account) {
        if (unconfirmed.isEmpty()) {
            return OptionalLong
                    .empty(); // the usual case at start-up, asked for every position: skip the key
        }
        OptionalLong position = unconfirmed(RowKeys.position(marketId, account));
        OptionalLong flag = unconfirmed(RowKeys.cureFlag(marketId, account));
        if (flag.isEmpty()) {
            return position;
        }
        return position.isPresent() && position.getAsLong() > flag.getAsLong() ? position : flag;
    }

    /**
     * {@link #positionChangedUnconfirmed} for every position of the market that has such a block,
     * by account: one pass over the marks instead of a lookup per position (a rebuild of the risk
     * engine asks for every position).
     */
    public Map<Address, Long> positionsChangedUnconfirmed(MarketId marketId) {
        String prefix = RowKeys.position(marketId, Address.ZERO);
        prefix = prefix.substring(0, prefix.length() - Address.ZERO.hex().length());
        Map<Address, Long> marks = new HashMap<>();
        for (Map.Entry<String, Long> mark : unconfirmed.entrySet()) {
            if (mark.getKey().startsWith(prefix)) {
                marks.put(Address.of(mark.getKey().substring(prefix.length())), mark.getValue());
            }
        }
        return marks;
    }

    /** The newest block not yet final that changed the market's totals, if any. */
    public OptionalLong marketChangedUnconfirmed(MarketId id) {
        return unconfirmed(RowKeys.market(id));
    }

    /** The newest block not yet final that changed the token's price feed, if any. */
    public OptionalLong priceChangedUnconfirmed(Address token) {
        return unconfirmed(RowKeys.feed(token));
    }

    /** The newest block not yet final that changed the token's flags or rent, if any. */
    public OptionalLong tokenChangedUnconfirmed(Address token) {
        return unconfirmed(RowKeys.token(token));
    }

    private OptionalLong unconfirmed(String key) {
        Long block = unconfirmed.get(key);
        return block == null ? OptionalLong.empty() : OptionalLong.of(block);
    }

    /** Forgets the marks of blocks at or below {@code finalBlock}: they are final now. */
    void confirmUpTo(long finalBlock) {
        unconfirmed.values().removeIf(block -> block <= finalBlock);
    }

    void markUnconfirmed(String key, long block) {
        unconfirmed.put(key, block);
    }

    int unconfirmedRows() {
        return unconfirmed.size();
    }

    // ---- writes, for BlockApplier only --------------------------------------------------------

    void checkpoint(Checkpoint value) {
        checkpoint = value;
    }

    void putMarket(MarketRecord market) {
        markets.put(market.id(), market);
    }

    void putPosition(PositionRecord position) {
        positions
                .computeIfAbsent(position.marketId(), id -> new ConcurrentSkipListMap<>())
                .put(position.account(), position);
    }

    void putFeed(PriceFeedRecord feed) {
        feeds.put(feed.token(), feed);
    }

    void putToken(TokenRecord token) {
        tokens.put(token.token(), token);
    }

    void putLiquidationTerms(LiquidationTermsRecord terms) {
        liquidationTerms.put(terms.marketId(), terms);
    }

    void putAuctionTerms(AuctionTermsRecord terms) {
        auctionTerms.put(terms.marketId(), terms);
    }

    /** Stores the flag; a flag that is {@link CureFlagState#NONE} removes the row. */
    void putCureFlag(CureFlagRecord flag) {
        if (flag.flag().equals(CureFlagState.NONE)) {
            Map<Address, CureFlagRecord> inMarket = cureFlags.get(flag.marketId());
            if (inMarket != null) {
                inMarket.remove(flag.borrower());
            }
        } else {
            cureFlags
                    .computeIfAbsent(flag.marketId(), id -> new ConcurrentHashMap<>())
                    .put(flag.borrower(), flag);
        }
    }

    void putAuction(AuctionRecord auction) {
        auctions.put(auction.auctionId(), auction);
        AppliedRange.PositionKey key =
                new AppliedRange.PositionKey(auction.marketId(), auction.borrower());
        if (auction.active()) {
            activeAuctions.put(key, auction.auctionId());
        } else {
            activeAuctions.remove(key, auction.auctionId());
        }
    }

    void frozen(FrozenAccount account, boolean isFrozen) {
        if (isFrozen) {
            frozen.add(account);
        } else {
            frozen.remove(account);
        }
    }

    void verified(Address account, boolean isVerified) {
        if (isVerified) {
            verified.add(account);
        } else {
            verified.remove(account);
        }
    }
}
