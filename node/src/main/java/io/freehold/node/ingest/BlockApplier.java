package io.freehold.node.ingest;

import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.PositionState;
import io.freehold.contracts.math.Rent;
import io.freehold.node.ingest.ProtocolEvent.AccrueInterest;
import io.freehold.node.ingest.ProtocolEvent.AddressFrozen;
import io.freehold.node.ingest.ProtocolEvent.AppraisalUpdated;
import io.freehold.node.ingest.ProtocolEvent.AuctionEnded;
import io.freehold.node.ingest.ProtocolEvent.AuctionMarketConfigured;
import io.freehold.node.ingest.ProtocolEvent.AuctionPenalty;
import io.freehold.node.ingest.ProtocolEvent.AuctionStarted;
import io.freehold.node.ingest.ProtocolEvent.Borrow;
import io.freehold.node.ingest.ProtocolEvent.CureFlagCleared;
import io.freehold.node.ingest.ProtocolEvent.CureFlagged;
import io.freehold.node.ingest.ProtocolEvent.FeedConfigured;
import io.freehold.node.ingest.ProtocolEvent.IdentityRemoved;
import io.freehold.node.ingest.ProtocolEvent.IdentityVerified;
import io.freehold.node.ingest.ProtocolEvent.Liquidate;
import io.freehold.node.ingest.ProtocolEvent.LiquidationTermsSet;
import io.freehold.node.ingest.ProtocolEvent.MarketCreated;
import io.freehold.node.ingest.ProtocolEvent.PauseChanged;
import io.freehold.node.ingest.ProtocolEvent.PositionRentClaimed;
import io.freehold.node.ingest.ProtocolEvent.RentDeposited;
import io.freehold.node.ingest.ProtocolEvent.RentPulled;
import io.freehold.node.ingest.ProtocolEvent.Repay;
import io.freehold.node.ingest.ProtocolEvent.Supply;
import io.freehold.node.ingest.ProtocolEvent.SupplyCollateral;
import io.freehold.node.ingest.ProtocolEvent.Withdraw;
import io.freehold.node.ingest.ProtocolEvent.WithdrawCollateral;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.AuctionTermsRecord;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.CureFlagRecord;
import io.freehold.node.state.FrozenAccount;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.LiquidationTermsRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.node.store.BlockChanges;
import io.freehold.node.store.StateChange;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Applies one block's events to {@link ChainState}, exactly as the contracts changed their storage,
 * and returns the rows the block changed for the store.
 *
 * <p>Every rule is the contract's (contracts/README.md, "Events: what an indexer can rebuild"): the
 * order of logs inside a block matters (a {@code RentPulled} raises the index that the position
 * event after it settles at), and the floors are the contract's ({@code totalBorrowAssets} never
 * below zero). A subtraction that would go below zero means the node has missed or doubled an
 * event; it stops the node ({@link StateDivergedException}) instead of carrying a wrong number into
 * health factors.
 */
public final class BlockApplier {

    private static final BigInteger ZERO = BigInteger.ZERO;

    private final ChainState state;
    private final Map<String, Supplier<StateChange>> touched = new LinkedHashMap<>();
    // History rows of the block (liquidations): stored and journaled, not state, so never marked
    // unconfirmed.
    private final Map<String, StateChange> history = new LinkedHashMap<>();
    // What changed since this applier was made, across blocks, for the state listeners.
    private final Set<MarketId> changedMarkets = new HashSet<>();
    private final Set<AppliedRange.PositionKey> changedPositions = new HashSet<>();
    private final Set<Address> changedTokens = new HashSet<>();
    private BlockHeader block;

    // The DutchAuction whose events the node reads; an auction market sold through another contract
    // cannot be followed.
    private final Optional<Address> followedAuction;

    /**
     * @param followedAuction the DutchAuction the node reads events from, if any
     */
    public BlockApplier(ChainState state, Optional<Address> followedAuction) {
        this.state = state;
        this.followedAuction = followedAuction;
    }

    /**
     * Applies {@code events} (the block's, in log order) and moves the state's checkpoint to the
     * block.
     *
     * @param reversible whether the block is unconfirmed: the store journals its changes
     * @return the block's row changes, one put or removal per row it touched
     */
    public BlockChanges apply(BlockHeader header, List<ProtocolEvent> events, boolean reversible) {
        block = header;
        touched.clear();
        history.clear();
        for (ProtocolEvent event : events) {
            apply(event);
        }
        List<StateChange> changes = new ArrayList<>(touched.size());
        touched.forEach(
                (key, change) -> {
                    changes.add(change.get());
                    if (reversible) {
                        state.markUnconfirmed(key, header.number());
                    }
                });
        changes.addAll(history.values());
        state.checkpoint(Checkpoint.of(header));
        return new BlockChanges(header, reversible, changes);
    }

    private void apply(ProtocolEvent event) {
        if (event instanceof MarketCreated e) {
            putMarket(new MarketRecord(e.id(), e.params(), MarketState.created(block.timestamp())));
            token(e.params().collateralToken()); // the market's token is followed from now on
            touchToken(e.params().collateralToken());
        } else if (event instanceof AccrueInterest e) {
            MarketRecord m = market(e.id());
            MarketState t = m.totals();
            putMarket(
                    m.withTotals(
                            new MarketState(
                                    e.totalSupplyAssets(),
                                    t.totalSupplyShares(),
                                    e.totalBorrowAssets(),
                                    t.totalBorrowShares(),
                                    t.totalCollateral(),
                                    block.timestamp())));
        } else if (event instanceof Supply e) {
            PositionRecord p = position(e.id(), e.onBehalf());
            putPosition(withShares(p, p.supplyShares().add(e.shares()), p.borrowShares()));
            MarketState t = market(e.id()).totals();
            putTotals(
                    e.id(),
                    new MarketState(
                            t.totalSupplyAssets().add(e.assets()),
                            t.totalSupplyShares().add(e.shares()),
                            t.totalBorrowAssets(),
                            t.totalBorrowShares(),
                            t.totalCollateral(),
                            t.lastUpdate()));
        } else if (event instanceof Withdraw e) {
            PositionRecord p = position(e.id(), e.onBehalf());
            putPosition(
                    withShares(
                            p,
                            minus(p.supplyShares(), e.shares(), "supply shares", e),
                            p.borrowShares()));
            MarketState t = market(e.id()).totals();
            putTotals(
                    e.id(),
                    new MarketState(
                            minus(t.totalSupplyAssets(), e.assets(), "totalSupplyAssets", e),
                            minus(t.totalSupplyShares(), e.shares(), "totalSupplyShares", e),
                            t.totalBorrowAssets(),
                            t.totalBorrowShares(),
                            t.totalCollateral(),
                            t.lastUpdate()));
        } else if (event instanceof Borrow e) {
            PositionRecord p = position(e.id(), e.onBehalf());
            putPosition(withShares(p, p.supplyShares(), p.borrowShares().add(e.shares())));
            MarketState t = market(e.id()).totals();
            putTotals(
                    e.id(),
                    new MarketState(
                            t.totalSupplyAssets(),
                            t.totalSupplyShares(),
                            t.totalBorrowAssets().add(e.assets()),
                            t.totalBorrowShares().add(e.shares()),
                            t.totalCollateral(),
                            t.lastUpdate()));
        } else if (event instanceof Repay e) {
            repay(e.id(), e.onBehalf(), e.assets(), e.shares(), e);
        } else if (event instanceof SupplyCollateral e) {
            moveCollateral(e.id(), e.onBehalf(), e.assets(), e);
        } else if (event instanceof WithdrawCollateral e) {
            moveCollateral(e.id(), e.onBehalf(), e.assets().negate(), e);
        } else if (event instanceof Liquidate e) {
            liquidate(e);
        } else if (event instanceof RentPulled e) {
            TokenRecord t = token(e.token());
            // The pool claimed from the token: its holder's mark moves to the token's accumulator.
            putToken(
                    new TokenRecord(
                            t.token(),
                            t.paused(),
                            t.rentPerToken(),
                            e.rentIndex(),
                            t.poolTotalCollateral(),
                            t.rentPerToken()));
        } else if (event instanceof PositionRentClaimed e) {
            MarketRecord m = market(e.id());
            poolSettledRent(m.params().collateralToken());
            PositionRecord p = settleRent(position(e.id(), e.owner()), m);
            putPosition(
                    new PositionRecord(
                            p.marketId(),
                            p.account(),
                            p.supplyShares(),
                            p.borrowShares(),
                            p.collateral(),
                            p.rentIndexPaid(),
                            minus(p.rentAccrued(), e.amount(), "rent accrued", e)));
        } else if (event instanceof LiquidationTermsSet e) {
            market(e.id());
            if (e.terms().isAuction()
                    && !followedAuction.map(e.terms().auction()::equals).orElse(false)) {
                // Its auctions lock positions and end by events the node would not read: every
                // flag and lock of the market would be a guess.
                throw new StateDivergedException(
                        "block "
                                + block.number()
                                + ": market "
                                + e.id()
                                + " sells collateral through auction "
                                + e.terms().auction()
                                + ", whose events the node does not read (the deployment's"
                                + " dutchAuction is "
                                + followedAuction.map(Address::toString).orElse("not set")
                                + "); name it as dutchAuction in the deployment file and resync");
            }
            LiquidationTermsRecord row = new LiquidationTermsRecord(e.id(), e.terms());
            changedMarkets.add(e.id());
            state.putLiquidationTerms(row);
            touched.put(RowKeys.liquidationTerms(e.id()), () -> StateChange.put(row));
        } else if (event instanceof AuctionMarketConfigured e) {
            market(e.id());
            AuctionTermsRecord row = new AuctionTermsRecord(e.id(), e.terms());
            changedMarkets.add(e.id());
            state.putAuctionTerms(row);
            touched.put(RowKeys.auctionTerms(e.id()), () -> StateChange.put(row));
        } else if (event instanceof CureFlagged e) {
            CureFlagState f = cureFlag(e.id(), e.borrower());
            putCureFlag(
                    e.id(),
                    e.borrower(),
                    new CureFlagState(e.flaggedAt(), e.appraisalSeq(), e.price(), f.inAuction()));
        } else if (event instanceof CureFlagCleared e) {
            // The pool's _clearFlag zeroes the flag; the auction lock is its own (AuctionEnded).
            CureFlagState f = cureFlag(e.id(), e.borrower());
            putCureFlag(e.id(), e.borrower(), new CureFlagState(0, ZERO, ZERO, f.inAuction()));
        } else if (event instanceof AuctionPenalty e) {
            auctionPenalty(e);
        } else if (event instanceof AuctionStarted e) {
            auctionStarted(e);
        } else if (event instanceof AuctionEnded e) {
            AuctionRecord a = activeAuction(e.auctionId(), e);
            putAuction(a.ended());
            CureFlagState f = cureFlag(a.marketId(), a.borrower());
            putCureFlag(
                    a.marketId(),
                    a.borrower(),
                    new CureFlagState(f.flaggedAt(), f.appraisalSeq(), f.price(), false));
        } else if (event instanceof AppraisalUpdated e) {
            PriceFeedRecord f = feed(e.token());
            putFeed(
                    new PriceFeedRecord(
                            f.token(),
                            e.price(),
                            e.updatedAt(),
                            f.maxAge(),
                            f.maxMoveBps(),
                            f.appraisalCount() + 1));
        } else if (event instanceof FeedConfigured e) {
            PriceFeedRecord f = feed(e.token());
            putFeed(
                    new PriceFeedRecord(
                            f.token(),
                            f.price(),
                            f.updatedAt(),
                            e.maxAge(),
                            e.maxMoveBps(),
                            f.appraisalCount()));
        } else if (event instanceof IdentityVerified e) {
            verified(e.account(), true);
        } else if (event instanceof IdentityRemoved e) {
            verified(e.account(), false);
        } else if (event instanceof AddressFrozen e) {
            FrozenAccount row = new FrozenAccount(e.token(), e.account());
            changedTokens.add(e.token());
            state.frozen(row, e.frozen());
            touched.put(
                    RowKeys.frozen(row),
                    () ->
                            state.isFrozen(row.token(), row.account())
                                    ? StateChange.put(row)
                                    : StateChange.remove(row));
        } else if (event instanceof PauseChanged e) {
            TokenRecord t = token(e.token());
            putToken(
                    new TokenRecord(
                            t.token(),
                            e.paused(),
                            t.rentPerToken(),
                            t.poolRentIndex(),
                            t.poolTotalCollateral(),
                            t.poolRentPerTokenPaid()));
        } else if (event instanceof RentDeposited e) {
            TokenRecord t = token(e.token());
            putToken(
                    new TokenRecord(
                            t.token(),
                            t.paused(),
                            e.rentPerToken(),
                            t.poolRentIndex(),
                            t.poolTotalCollateral(),
                            t.poolRentPerTokenPaid()));
        } else {
            throw new IllegalArgumentException("no rule for " + event);
        }
    }

    /** The pool's {@code _applyRepay}: shares leave exactly, assets floored at zero. */
    private void repay(
            MarketId id, Address borrower, BigInteger assets, BigInteger shares, ProtocolEvent e) {
        PositionRecord p = position(id, borrower);
        putPosition(
                withShares(
                        p, p.supplyShares(), minus(p.borrowShares(), shares, "borrow shares", e)));
        MarketState t = market(id).totals();
        putTotals(
                id,
                new MarketState(
                        t.totalSupplyAssets(),
                        t.totalSupplyShares(),
                        t.totalBorrowAssets().subtract(assets).max(ZERO),
                        minus(t.totalBorrowShares(), shares, "totalBorrowShares", e),
                        t.totalCollateral(),
                        t.lastUpdate()));
    }

    /**
     * Collateral in ({@code delta} > 0) or out: rent settled at the current index first, as the
     * pool does.
     */
    private void moveCollateral(MarketId id, Address account, BigInteger delta, ProtocolEvent e) {
        MarketRecord m = market(id);
        PositionRecord p = settleRent(position(id, account), m);
        putPosition(
                new PositionRecord(
                        p.marketId(),
                        p.account(),
                        p.supplyShares(),
                        p.borrowShares(),
                        plus(p.collateral(), delta, "collateral", e),
                        p.rentIndexPaid(),
                        p.rentAccrued()));
        MarketState t = m.totals();
        putTotals(
                id,
                new MarketState(
                        t.totalSupplyAssets(),
                        t.totalSupplyShares(),
                        t.totalBorrowAssets(),
                        t.totalBorrowShares(),
                        plus(t.totalCollateral(), delta, "totalCollateral", e),
                        t.lastUpdate()));
        TokenRecord token = token(m.params().collateralToken());
        // The pool pulled its rent first (or held none) and the transfer settled it as a holder.
        putToken(
                new TokenRecord(
                        token.token(),
                        token.paused(),
                        token.rentPerToken(),
                        token.poolRentIndex(),
                        plus(token.poolTotalCollateral(), delta, "totalCollateralOf", e),
                        token.rentPerToken()));
    }

    /**
     * Every pool action that emits {@code RentClaimed(id, …)} pulled rent first: the token settled
     * the pool as a holder (or the pool held none of it), so the pool's mark is the token's
     * accumulator and nothing stays owed to it.
     */
    private void poolSettledRent(Address tokenAddress) {
        TokenRecord t = token(tokenAddress);
        if (!t.poolRentPerTokenPaid().equals(t.rentPerToken())) {
            putToken(
                    new TokenRecord(
                            t.token(),
                            t.paused(),
                            t.rentPerToken(),
                            t.poolRentIndex(),
                            t.poolTotalCollateral(),
                            t.rentPerToken()));
        }
    }

    /**
     * The pool's {@code liquidate} after sizing: repay, settle rent, seize, then write off any bad
     * debt.
     */
    private void liquidate(Liquidate e) {
        LiquidationRecord row =
                new LiquidationRecord(
                        block.number(),
                        e.logIndex(),
                        e.id(),
                        e.liquidator(),
                        e.borrower(),
                        e.receiver(),
                        e.repaidAssets(),
                        e.repaidShares(),
                        e.seizedCollateral(),
                        e.badDebtAssets(),
                        e.badDebtShares(),
                        e.transactionHash(),
                        block.timestamp());
        history.put(RowKeys.liquidation(row), StateChange.put(row));
        repay(e.id(), e.borrower(), e.repaidAssets(), e.repaidShares(), e);
        moveCollateral(e.id(), e.borrower(), e.seizedCollateral().negate(), e);
        if (e.badDebtShares().signum() == 0 && e.badDebtAssets().signum() == 0) {
            return;
        }
        PositionRecord p = position(e.id(), e.borrower());
        putPosition(
                withShares(
                        p,
                        p.supplyShares(),
                        minus(p.borrowShares(), e.badDebtShares(), "borrow shares", e)));
        MarketState t = market(e.id()).totals();
        putTotals(
                e.id(),
                new MarketState(
                        t.totalSupplyAssets().subtract(e.badDebtAssets()).max(ZERO),
                        t.totalSupplyShares(),
                        minus(t.totalBorrowAssets(), e.badDebtAssets(), "totalBorrowAssets", e),
                        minus(t.totalBorrowShares(), e.badDebtShares(), "totalBorrowShares", e),
                        t.totalCollateral(),
                        t.lastUpdate()));
    }

    /**
     * The pool's {@code openAuction}: the penalty is owed by the borrower and earned by lenders at
     * once, so it joins the borrower's shares, {@code totalBorrowShares} and both asset totals.
     */
    private void auctionPenalty(AuctionPenalty e) {
        PositionRecord p = position(e.id(), e.borrower());
        putPosition(withShares(p, p.supplyShares(), p.borrowShares().add(e.shares())));
        MarketState t = market(e.id()).totals();
        putTotals(
                e.id(),
                new MarketState(
                        t.totalSupplyAssets().add(e.assets()),
                        t.totalSupplyShares(),
                        t.totalBorrowAssets().add(e.assets()),
                        t.totalBorrowShares().add(e.shares()),
                        t.totalCollateral(),
                        t.lastUpdate()));
    }

    /**
     * A start locks the position (the pool's {@code openAuction}); a restart gives the auction new
     * prices and clock. The keeper's reward and the penalty are the pool's own events.
     */
    private void auctionStarted(AuctionStarted e) {
        if (e.restarts() == 0) {
            if (state.auction(e.auctionId()).isPresent()
                    || state.activeAuction(e.id(), e.borrower()).isPresent()) {
                throw new StateDivergedException(
                        "block "
                                + block.number()
                                + ": "
                                + e
                                + " starts an auction the node already has; it missed or repeated"
                                + " an event");
            }
            position(e.id(), e.borrower());
            CureFlagState f = cureFlag(e.id(), e.borrower());
            putCureFlag(
                    e.id(),
                    e.borrower(),
                    new CureFlagState(f.flaggedAt(), f.appraisalSeq(), f.price(), true));
        } else {
            activeAuction(e.auctionId(), e);
        }
        putAuction(
                new AuctionRecord(
                        e.auctionId(),
                        e.id(),
                        e.borrower(),
                        e.startedAt(),
                        e.endsAt(),
                        e.restarts(),
                        true,
                        e.startPrice(),
                        e.floorPrice()));
    }

    private AuctionRecord activeAuction(long auctionId, ProtocolEvent e) {
        return state.auction(auctionId)
                .filter(AuctionRecord::active)
                .orElseThrow(
                        () ->
                                new StateDivergedException(
                                        "block "
                                                + block.number()
                                                + ": "
                                                + e
                                                + " names auction "
                                                + auctionId
                                                + ", which is not active in the node"));
    }

    /** The pool's {@code _settleRent} at the collateral token's current pool rent index. */
    private PositionRecord settleRent(PositionRecord p, MarketRecord m) {
        BigInteger index = token(m.params().collateralToken()).poolRentIndex();
        PositionState settled = Rent.settle(p.state(), index);
        return new PositionRecord(
                p.marketId(),
                p.account(),
                p.supplyShares(),
                p.borrowShares(),
                p.collateral(),
                settled.rentIndexPaid(),
                settled.rentAccrued());
    }

    // ---- reads that create what the chain creates implicitly ---------------------------------

    private MarketRecord market(MarketId id) {
        return state.market(id)
                .orElseThrow(
                        () ->
                                new StateDivergedException(
                                        "an event of block "
                                                + block.number()
                                                + " names market "
                                                + id
                                                + ", which no MarketCreated created"));
    }

    /**
     * A position the chain has never touched reads as all zeros, as the contract's mapping does.
     */
    private PositionRecord position(MarketId id, Address account) {
        market(id);
        return state.position(id, account)
                .orElseGet(() -> new PositionRecord(id, account, ZERO, ZERO, ZERO, ZERO, ZERO));
    }

    private CureFlagState cureFlag(MarketId id, Address borrower) {
        market(id);
        return state.cureFlag(id, borrower);
    }

    private PriceFeedRecord feed(Address token) {
        return state.priceFeed(token).orElseGet(() -> new PriceFeedRecord(token, ZERO, 0, ZERO, 0));
    }

    private TokenRecord token(Address token) {
        return state.token(token)
                .orElseGet(
                        () -> {
                            TokenRecord fresh = new TokenRecord(token, false, ZERO, ZERO, ZERO);
                            putToken(fresh);
                            return fresh;
                        });
    }

    // ---- writes, remembered for the store ------------------------------------------------------

    /** Everything this applier changed over the blocks it applied, as a listener sees it. */
    AppliedRange changed(long fromBlock) {
        return new AppliedRange(
                fromBlock,
                block.number(),
                block.timestamp(),
                false,
                changedMarkets,
                changedPositions,
                changedTokens);
    }

    private void putMarket(MarketRecord m) {
        changedMarkets.add(m.id());
        state.putMarket(m);
        touched.put(
                RowKeys.market(m.id()), () -> StateChange.put(state.market(m.id()).orElseThrow()));
    }

    private void putTotals(MarketId id, MarketState totals) {
        putMarket(market(id).withTotals(totals));
    }

    private void putPosition(PositionRecord p) {
        changedPositions.add(new AppliedRange.PositionKey(p.marketId(), p.account()));
        state.putPosition(p);
        touched.put(
                RowKeys.position(p.marketId(), p.account()),
                () -> StateChange.put(state.position(p.marketId(), p.account()).orElseThrow()));
    }

    /** The flag as the pool now holds it; a position neither flagged nor locked has no row. */
    private void putCureFlag(MarketId id, Address borrower, CureFlagState flag) {
        changedPositions.add(new AppliedRange.PositionKey(id, borrower));
        state.putCureFlag(new CureFlagRecord(id, borrower, flag));
        touched.put(
                RowKeys.cureFlag(id, borrower),
                () -> {
                    CureFlagState now = state.cureFlag(id, borrower);
                    return now.equals(CureFlagState.NONE)
                            ? StateChange.removeCureFlag(id, borrower)
                            : StateChange.put(new CureFlagRecord(id, borrower, now));
                });
    }

    private void putAuction(AuctionRecord a) {
        changedMarkets.add(a.marketId());
        changedPositions.add(new AppliedRange.PositionKey(a.marketId(), a.borrower()));
        state.putAuction(a);
        touched.put(
                RowKeys.auction(a.auctionId()),
                () -> StateChange.put(state.auction(a.auctionId()).orElseThrow()));
    }

    private void putFeed(PriceFeedRecord f) {
        changedTokens.add(f.token());
        state.putFeed(f);
        touched.put(
                RowKeys.feed(f.token()),
                () -> StateChange.put(state.priceFeed(f.token()).orElseThrow()));
    }

    private void putToken(TokenRecord t) {
        changedTokens.add(t.token());
        state.putToken(t);
        touchToken(t.token());
    }

    private void touchToken(Address token) {
        touched.put(RowKeys.token(token), () -> StateChange.put(state.token(token).orElseThrow()));
    }

    private void verified(Address account, boolean isVerified) {
        String key = RowKeys.verified(account);
        boolean firstTouch = !touched.containsKey(key);
        // Unverified before the block touched it: the store cannot hold the row.
        boolean unverifiedBefore = firstTouch && !state.isVerified(account);
        state.verified(account, isVerified);
        if (!firstTouch) {
            return; // the first touch's supplier reads the state at the block's end
        }
        VerifiedAccount row = new VerifiedAccount(account);
        touched.put(
                key,
                () ->
                        !state.isVerified(account)
                                ? StateChange.remove(row)
                                : unverifiedBefore
                                        ? StateChange.putNew(row)
                                        : StateChange.put(row));
    }

    private static PositionRecord withShares(
            PositionRecord p, BigInteger supplyShares, BigInteger borrowShares) {
        return new PositionRecord(
                p.marketId(),
                p.account(),
                supplyShares,
                borrowShares,
                p.collateral(),
                p.rentIndexPaid(),
                p.rentAccrued());
    }

    private BigInteger minus(BigInteger a, BigInteger b, String what, ProtocolEvent e) {
        return plus(a, b.negate(), what, e);
    }

    private BigInteger plus(BigInteger a, BigInteger delta, String what, ProtocolEvent e) {
        BigInteger result = a.add(delta);
        if (result.signum() < 0) {
            throw new StateDivergedException(
                    "block "
                            + block.number()
                            + ": "
                            + e
                            + " takes "
                            + what
                            + " below zero ("
                            + a
                            + " "
                            + (delta.signum() < 0 ? "- " + delta.negate() : "+ " + delta)
                            + "); the node missed or repeated an event");
        }
        return result;
    }
}
