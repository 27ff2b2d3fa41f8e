package io.freehold.node.ingest;

import io.freehold.node.state.FrozenAccount;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;

/**
 * Names of state rows, the same as the store's journal gives them ({@code table:key,key}): how the
 * node remembers which rows unconfirmed blocks changed, across a restart.
 */
final class RowKeys {

    private RowKeys() {}

    static String market(MarketId id) {
        return "market:" + id.hex();
    }

    static String position(MarketId id, Address account) {
        return "position:" + id.hex() + "," + account.hex();
    }

    static String feed(Address token) {
        return "price_feed:" + token.hex();
    }

    static String token(Address token) {
        return "token_state:" + token.hex();
    }

    static String frozen(FrozenAccount row) {
        return "frozen_account:" + row.token().hex() + "," + row.account().hex();
    }

    static String verified(Address account) {
        return "verified_account:" + account.hex();
    }

    static String liquidationTerms(MarketId id) {
        return "liquidation_terms:" + id.hex();
    }

    static String auctionTerms(MarketId id) {
        return "auction_terms:" + id.hex();
    }

    static String cureFlag(MarketId id, Address borrower) {
        return "cure_flag:" + id.hex() + "," + borrower.hex();
    }

    static String auction(long auctionId) {
        return "auction:" + auctionId;
    }

    static String liquidation(LiquidationRecord row) {
        return "liquidation:" + row.blockNumber() + "," + row.logIndex();
    }
}
