package io.freehold.node.store;

import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.AuctionTermsRecord;
import io.freehold.node.state.CureFlagRecord;
import io.freehold.node.state.FrozenAccount;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.LiquidationTermsRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One row change a block makes: a record written whole (inserted or replaced by key), or a key
 * removed. Frozen and verified accounts are sets: putting one adds it, removing it takes it out.
 */
public final class StateChange {

    private final StateTable<?> table;
    private final Object[] values; // the whole row for a put, the key columns for a removal
    private final boolean removal;
    // A put of a row the state did not have before the block's first change to it.
    private final boolean newRow;

    private StateChange(StateTable<?> table, Object[] values, boolean removal, boolean newRow) {
        this.table = table;
        this.values = values;
        this.removal = removal;
        this.newRow = newRow;
    }

    public static StateChange put(MarketRecord market) {
        return put(StateTables.MARKET, market);
    }

    public static StateChange put(PositionRecord position) {
        return put(StateTables.POSITION, position);
    }

    public static StateChange put(PriceFeedRecord feed) {
        return put(StateTables.PRICE_FEED, feed);
    }

    public static StateChange put(TokenRecord token) {
        return put(StateTables.TOKEN, token);
    }

    /** The account becomes frozen in the token. */
    public static StateChange put(FrozenAccount frozen) {
        return put(StateTables.FROZEN, frozen);
    }

    /** The account becomes verified. */
    public static StateChange put(VerifiedAccount verified) {
        return put(StateTables.VERIFIED, verified);
    }

    /**
     * The account becomes verified, and was not verified before the block's first change to it: the
     * store cannot hold the row, so a commit may insert it without looking for it first (most of a
     * catch-up's rows are these). If the store holds it all the same, the commit writes it as a
     * {@link #put} instead.
     */
    public static StateChange putNew(VerifiedAccount verified) {
        Objects.requireNonNull(verified, StateTables.VERIFIED.name());
        return new StateChange(
                StateTables.VERIFIED, StateTables.VERIFIED.columnsOf(verified), false, true);
    }

    /** A liquidation joins the history. */
    public static StateChange put(LiquidationRecord liquidation) {
        return put(StateTables.LIQUIDATION, liquidation);
    }

    public static StateChange put(LiquidationTermsRecord terms) {
        return put(StateTables.LIQUIDATION_TERMS, terms);
    }

    public static StateChange put(AuctionTermsRecord terms) {
        return put(StateTables.AUCTION_TERMS, terms);
    }

    public static StateChange put(CureFlagRecord flag) {
        return put(StateTables.CURE_FLAG, flag);
    }

    public static StateChange put(AuctionRecord auction) {
        return put(StateTables.AUCTION, auction);
    }

    /** The position is neither flagged nor in auction any more. */
    public static StateChange removeCureFlag(MarketId marketId, Address borrower) {
        return remove(StateTables.CURE_FLAG, marketId.hex(), borrower.hex());
    }

    public static StateChange removeMarket(MarketId id) {
        return remove(StateTables.MARKET, id.hex());
    }

    /** Drops a position, e.g. one left with nothing in it. */
    public static StateChange removePosition(MarketId marketId, Address account) {
        return remove(StateTables.POSITION, marketId.hex(), account.hex());
    }

    public static StateChange removePriceFeed(Address token) {
        return remove(StateTables.PRICE_FEED, token.hex());
    }

    public static StateChange removeToken(Address token) {
        return remove(StateTables.TOKEN, token.hex());
    }

    /** The account is no longer frozen in the token. */
    public static StateChange remove(FrozenAccount frozen) {
        return remove(StateTables.FROZEN, frozen.token().hex(), frozen.account().hex());
    }

    /** The account is no longer verified. */
    public static StateChange remove(VerifiedAccount verified) {
        return remove(StateTables.VERIFIED, verified.account().hex());
    }

    private static <R> StateChange put(StateTable<R> table, R row) {
        Objects.requireNonNull(row, table.name());
        return new StateChange(table, table.columnsOf(row), false, false);
    }

    private static StateChange remove(StateTable<?> table, Object... key) {
        return new StateChange(table, key, true, false);
    }

    StateTable<?> table() {
        return table;
    }

    List<Object> key() {
        return table.keyOf(values);
    }

    /** Whether this puts a row the store cannot hold yet ({@link #putNew}). */
    boolean isNewRow() {
        return newRow;
    }

    /** The row after the change; null when the change removes it. */
    Object[] rowAfter() {
        return removal ? null : values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateChange other
                && table == other.table
                && removal == other.removal
                && newRow == other.newRow
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table.name(), removal, newRow, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return (removal ? "remove " : newRow ? "put new " : "put ")
                + table.name()
                + Arrays.toString(values);
    }
}
