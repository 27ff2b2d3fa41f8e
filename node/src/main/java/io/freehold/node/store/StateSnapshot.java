package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.FrozenAccount;
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
        List<VerifiedAccount> verifiedAccounts) {

    public StateSnapshot {
        headers = List.copyOf(headers);
        markets = List.copyOf(markets);
        positions = List.copyOf(positions);
        priceFeeds = List.copyOf(priceFeeds);
        tokens = List.copyOf(tokens);
        frozenAccounts = List.copyOf(frozenAccounts);
        verifiedAccounts = List.copyOf(verifiedAccounts);
    }
}
