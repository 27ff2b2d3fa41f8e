package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import java.util.List;
import java.util.Optional;

/**
 * The node's durable state: every market, position, price feed and token flag the logs have built,
 * the block they were built to (the checkpoint), and enough history to undo the blocks a reorg may
 * still remove.
 *
 * <p>Writes are atomic: a commit or a rollback either happens whole, with the checkpoint moved in
 * the same transaction, or not at all. The node keeps the state in memory and uses the store to
 * survive restarts; reads here are for start-up and tests.
 */
public interface StateStore {

    /** The last block whose changes are stored; empty before the first commit. */
    Optional<Checkpoint> checkpoint();

    /** Everything, in one consistent read, for loading into memory at start. */
    StateSnapshot loadAll();

    /**
     * {@code copy}, the state as this store held it at {@code copy}'s checkpoint (a {@link
     * SnapshotFile}), brought to the store's checkpoint: the rows changed since read by key, and
     * the stored headers. The same as {@link #loadAll()}, in one consistent read, without reading
     * every row. Empty when the store cannot tell which rows changed since: its block at that
     * height is not the copy's (a reorg, another chain, a cleared store), or a later block was
     * stored without a journal (catch-up), or its journal was pruned.
     */
    Optional<StateSnapshot> loadSince(StateSnapshot copy);

    Optional<MarketRecord> market(MarketId id);

    Optional<PositionRecord> position(MarketId marketId, Address account);

    Optional<PriceFeedRecord> priceFeed(Address token);

    Optional<TokenRecord> token(Address token);

    boolean isFrozen(Address token, Address account);

    boolean isVerified(Address account);

    /**
     * Liquidations the chain has seen (committed blocks only), newest first, as the query selects.
     */
    List<LiquidationRecord> liquidations(LiquidationQuery query);

    /**
     * The stored headers from {@code fromBlock} up, in block order: the window the follower checks
     * for reorgs.
     */
    List<BlockHeader> headers(long fromBlock);

    /**
     * Every row changed by a journaled (still reversible) block, with the newest block that changed
     * it.
     */
    List<ReversibleChange> reversibleChanges();

    /**
     * Writes the blocks' changes, their headers, and the last block as the new checkpoint, in one
     * transaction. Blocks must follow the checkpoint in increasing order; a block numbered right
     * after the previous one must name it as parent; once a block is reversible the following ones
     * must be too. Reversible blocks have the before-image of every row they change journaled
     * first.
     *
     * @throws IllegalArgumentException if the blocks break those rules (nothing is written)
     * @throws StateStoreException if the database fails (nothing is written)
     */
    void commit(List<BlockChanges> blocks);

    /**
     * Undoes every block above {@code blockNumber} in one transaction, newest first, and makes that
     * block's stored header the checkpoint. Rolling back to the checkpoint itself does nothing.
     *
     * @return the new checkpoint
     * @throws RollbackTooDeepException if a block above it was written without a journal, or its
     *     header is gone (pruned): nothing is changed
     * @throws IllegalArgumentException if {@code blockNumber} is above the checkpoint or nothing is
     *     committed
     */
    Checkpoint rollbackTo(long blockNumber);

    /**
     * Forgets the journal and headers of blocks below {@code keepFrom}: they are final. Afterwards
     * the oldest block a rollback can reach is {@code keepFrom}.
     */
    void prune(long keepFrom);

    /**
     * Forgets everything the logs built, in one transaction: every state row, the liquidation
     * history, the journal, the headers and the checkpoint. Afterwards the store is as new and the
     * follower resyncs from the start block; the last resort after a reorg deeper than anything the
     * journal can undo. Rows other stores keep in the same database (liquidation attempts) are left
     * alone.
     *
     * @return the checkpoint the store had, if any
     */
    Optional<Checkpoint> clear();
}
