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
