package io.freehold.node.liquidation.decide;

import io.freehold.contracts.bindings.AuctionViews;
import io.freehold.contracts.bindings.PoolViews;
import io.freehold.contracts.bindings.TokenViews;
import io.freehold.contracts.bindings.ViewCall;
import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpcException;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;

/**
 * The contract views preflight needs, each read with {@code eth_call} at one pinned block so that
 * every number describes the same state: the chain's now, not the node's memory. The calls are
 * encoded and their answers decoded by the bindings' {@link PoolViews} and {@link TokenViews}, as
 * the SDK's are; they travel through the node's endpoint layer ({@link LiquidatorRpc}).
 */
public final class PoolReader {

    /**
     * An appraisal as the oracle holds it: price (PRICE_SCALE), its time, and whether it is stale
     * now.
     */
    public record Appraisal(BigInteger price, long updatedAt, BigInteger maxAge, boolean stale) {}

    /** A view reverted: the market does not exist, the feed is unknown... */
    public static final class ViewReverted extends RuntimeException {
        final RevertDecoder.Decoded revert;

        ViewReverted(String view, RevertDecoder.Decoded revert) {
            super(view + " reverted: " + revert);
            this.revert = revert;
        }
    }

    private final LiquidatorRpc rpc;
    private final Address pool;
    // eth_call needs a sender; views do not care which. The zero address has no code and no state.
    private final Address caller = Address.ZERO;

    public PoolReader(LiquidatorRpc rpc, Address pool) {
        this.rpc = rpc;
        this.pool = pool;
    }

    public Address pool() {
        return pool;
    }

    public MarketTerms terms(MarketId id, long block) {
        return view(pool, PoolViews.marketParams(id), block);
    }

    /** The market's totals accrued to the block's timestamp (the {@code market(id)} view). */
    MarketState market(MarketId id, long block) {
        return view(pool, PoolViews.market(id), block);
    }

    /** The stored position (the {@code positionShares(id, account)} view). */
    PositionState position(MarketId id, Address account, long block) {
        return view(pool, PoolViews.positionShares(id, account), block);
    }

    public Appraisal appraisal(Address oracle, Address token, long block) {
        io.freehold.contracts.math.Appraisal feed = view(oracle, PoolViews.feed(token), block);
        boolean stale = view(oracle, PoolViews.isStale(token), block);
        return new Appraisal(feed.price(), feed.updatedAt(), feed.maxAgeSeconds(), stale);
    }

    boolean paused(Address token, long block) {
        return view(token, TokenViews.paused(), block);
    }

    boolean canReceive(Address token, Address account, long block) {
        return view(token, TokenViews.canReceive(account), block);
    }

    boolean frozen(Address token, Address account, long block) {
        return view(token, TokenViews.isFrozen(account), block);
    }

    Address identityRegistry(Address token, long block) {
        return view(token, TokenViews.identityRegistry(), block);
    }

    boolean verified(Address registry, Address account, long block) {
        return view(registry, TokenViews.isVerified(account), block);
    }

    BigInteger balanceOf(Address erc20, Address account, long block) {
        return view(erc20, TokenViews.balanceOf(account), block);
    }

    BigInteger allowance(Address erc20, Address owner, Address spender, long block) {
        return view(erc20, TokenViews.allowance(owner, spender), block);
    }

    /** How the market liquidates: fixed or auction, and its cure window. */
    public LiquidationTerms liquidationTerms(MarketId id, long block) {
        return view(pool, AuctionViews.liquidationTerms(id), block);
    }

    CureFlagState cureFlag(MarketId id, Address borrower, long block) {
        return view(pool, AuctionViews.cureFlag(id, borrower), block);
    }

    boolean isLiquidatable(MarketId id, Address borrower, long block) {
        return view(pool, AuctionViews.isLiquidatable(id, borrower), block);
    }

    BigInteger appraisalCount(Address oracle, Address token, long block) {
        return view(oracle, AuctionViews.appraisalCount(token), block);
    }

    BigInteger activeAuction(Address auction, MarketId id, Address borrower, long block) {
        return view(auction, AuctionViews.activeAuction(id, borrower), block);
    }

    AuctionViews.AuctionRecord auction(Address auction, long auctionId, long block) {
        return view(auction, AuctionViews.auction(auctionId), block);
    }

    AuctionTerms auctionTerms(Address auction, MarketId id, long block) {
        return view(auction, AuctionViews.auctionParams(id), block);
    }

    /** Simulates a call of {@code to} from the liquidator at {@code block}. */
    public LiquidatorRpc.CallResult simulate(
            Address liquidator, Address to, String calldata, long block) {
        return rpc.call(liquidator, to, calldata, block);
    }

    /** Simulates {@code liquidate} from the liquidator at {@code block}. */
    public LiquidatorRpc.CallResult simulate(Address liquidator, String calldata, long block) {
        return rpc.call(liquidator, pool, calldata, block);
    }

    private <T> T view(Address contract, ViewCall<T> view, long block) {
        LiquidatorRpc.CallResult result = rpc.call(caller, contract, view.data(), block);
        if (result.reverted()) {
            throw new ViewReverted(view.name(), RevertDecoder.decode(result.revertData()));
        }
        return decode(view, result.returnData());
    }

    /**
     * A call's answer decoded; an answer that does not decode is the endpoint's or the address's
     * fault, reported as the endpoint layer's failures are.
     */
    static <T> T decode(ViewCall<T> view, String returnData) {
        try {
            return view.decode(returnData);
        } catch (IllegalArgumentException e) {
            throw new LiquidatorRpcException(e.getMessage());
        }
    }
}
