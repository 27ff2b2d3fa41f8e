package io.freehold.node.store;

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
import io.freehold.types.BlockHeader;
import java.util.List;
import java.util.Optional;

/**
 * Everything the store holds, read in one consistent transaction: what the node loads into memory
 * when it starts. Read from the store, each list is ordered by its key and {@code headers} by block
 * number; a copy of the memory ({@code ChainState.contents()}) is not ordered.
 */
public record StateSnapshot(
        Optional<Checkpoint> checkpoint,
        List<BlockHeader> headers,
        List<MarketRecord> markets,
        List<PositionRecord> positions,
        List<PriceFeedRecord> priceFeeds,
        List<TokenRecord> tokens,
        List<FrozenAccount> frozenAccounts,
        List<VerifiedAccount> verifiedAccounts,
        List<LiquidationTermsRecord> liquidationTerms,
        List<AuctionTermsRecord> auctionTerms,
        List<CureFlagRecord> cureFlags,
        List<AuctionRecord> auctions) {

    /**
     * A snapshot without liquidation terms, cure flags or auctions: only fixed-incentive markets.
     */
    public StateSnapshot(
            Optional<Checkpoint> checkpoint,
            List<BlockHeader> headers,
            List<MarketRecord> markets,
            List<PositionRecord> positions,
            List<PriceFeedRecord> priceFeeds,
            List<TokenRecord> tokens,
            List<FrozenAccount> frozenAccounts,
            List<VerifiedAccount> verifiedAccounts) {
        this(
                checkpoint,
                headers,
                markets,
                positions,
                priceFeeds,
                tokens,
                frozenAccounts,
                verifiedAccounts,
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    /**
     * The state tables a snapshot holds, in the order of its row lists ({@link #tableRows}): every
     * state table the node loads into memory, not the liquidation history. The one place that pairs
     * a table with its list, for everything that handles a snapshot table by table (the snapshot
     * file, its update from the journal, the store's read).
     */
    static final List<StateTable<?>> TABLES =
            List.of(
                    StateTables.MARKET,
                    StateTables.POSITION,
                    StateTables.PRICE_FEED,
                    StateTables.TOKEN,
                    StateTables.FROZEN,
                    StateTables.VERIFIED,
                    StateTables.LIQUIDATION_TERMS,
                    StateTables.AUCTION_TERMS,
                    StateTables.CURE_FLAG,
                    StateTables.AUCTION);

    /** The rows of each of {@link #TABLES}, in that order. */
    List<List<?>> tableRows() {
        return List.of(
                markets,
                positions,
                priceFeeds,
                tokens,
                frozenAccounts,
                verifiedAccounts,
                liquidationTerms,
                auctionTerms,
                cureFlags,
                auctions);
    }

    /**
     * A snapshot from the rows of each of {@link #TABLES}, in that order (each list holds the rows
     * of its table's record type).
     */
    @SuppressWarnings("unchecked")
    static StateSnapshot of(
            Optional<Checkpoint> checkpoint, List<BlockHeader> headers, List<List<?>> rows) {
        if (rows.size() != TABLES.size()) {
            throw new IllegalArgumentException(
                    rows.size() + " row lists for " + TABLES.size() + " tables");
        }
        return new StateSnapshot(
                checkpoint,
                headers,
                (List<MarketRecord>) rows.get(0),
                (List<PositionRecord>) rows.get(1),
                (List<PriceFeedRecord>) rows.get(2),
                (List<TokenRecord>) rows.get(3),
                (List<FrozenAccount>) rows.get(4),
                (List<VerifiedAccount>) rows.get(5),
                (List<LiquidationTermsRecord>) rows.get(6),
                (List<AuctionTermsRecord>) rows.get(7),
                (List<CureFlagRecord>) rows.get(8),
                (List<AuctionRecord>) rows.get(9));
    }

    public StateSnapshot {
        headers = List.copyOf(headers);
        markets = List.copyOf(markets);
        positions = List.copyOf(positions);
        priceFeeds = List.copyOf(priceFeeds);
        tokens = List.copyOf(tokens);
        frozenAccounts = List.copyOf(frozenAccounts);
        verifiedAccounts = List.copyOf(verifiedAccounts);
        liquidationTerms = List.copyOf(liquidationTerms);
        auctionTerms = List.copyOf(auctionTerms);
        cureFlags = List.copyOf(cureFlags);
        auctions = List.copyOf(auctions);
    }
}
