package io.freehold.node.api;

import io.freehold.contracts.math.LiquidationPreview;
import io.freehold.contracts.math.Liquidations;
import io.freehold.contracts.math.Risk;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskEngine;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Freehold's {@code WatchOpportunities} as a view of the position stream ({@link
 * OpportunityEvents}): the same journal, cursors, resume, retractions, heartbeats and flow control
 * (a {@link PositionSubscription} with this view), each matching position turned into what a
 * liquidation of it would move, computed with the contract's own {@code Liquidations.preview} (the
 * most the close factor allows, the collateral seized, the incentive before gas) on the node's
 * state when the event is published.
 */
final class OpportunityView implements Function<PositionEvent, Optional<OpportunityEvent>> {

    private final RiskEngine engine;
    private final Supplier<ChainState> state;
    private final boolean nodeExecutes;

    OpportunityView(RiskEngine engine, Supplier<ChainState> state, boolean nodeExecutes) {
        this.engine = engine;
        this.state = state;
        this.nodeExecutes = nodeExecutes;
    }

    /**
     * Called when the event is queued for the client, on the thread that publishes it (after the
     * step).
     */
    @Override
    public Optional<OpportunityEvent> apply(PositionEvent e) {
        return OpportunityEvents.of(e, this::opportunity);
    }

    private Optional<LiquidationOpportunity> opportunity(Position p) {
        MarketId marketId = MarketId.of(p.getMarketId());
        Address account = Address.of(p.getAccount());
        Optional<PositionRisk> risk = engine.risk(marketId, account);
        ChainState chain = state.get();
        Optional<MarketRecord> market = chain.market(marketId);
        if (risk.isEmpty() || market.isEmpty()) {
            return Optional.empty();
        }
        PositionRisk r = risk.get();
        LiquidationPreview preview =
                Liquidations.preview(
                        market.get().params(),
                        ContractMath.accruedTo(market.get(), r.asOf().timestamp()),
                        chain.position(marketId, account).map(PositionRecord::state).orElseThrow(),
                        r.price(),
                        Uint256.MAX);
        // `liquidatable` keeps its meaning, "the contract would accept liquidate now": not on an
        // auction market (FixedLiquidationDisabled), nor inside a cure window (CureWindowOpen,
        // NotFlagged). On markets without either, actionable is liquidatable.
        boolean auctionMarket = r.liquidationTerms().isAuction();
        LiquidationOpportunity.Builder o =
                LiquidationOpportunity.newBuilder()
                        .setPosition(ApiProtos.position(r))
                        .setLiquidatable(
                                r.actionable() && !auctionMarket && preview.revert().isEmpty());
        if (preview.revert().isEmpty() && !auctionMarket) {
            BigInteger seizedValue = Risk.collateralValue(preview.seizedCollateral(), r.price());
            o.setMaxRepay(preview.repaidAssets().toString())
                    .setSeizedCollateral(preview.seizedCollateral().toString())
                    .setExpectedIncentive(
                            seizedValue
                                    .subtract(preview.repaidAssets())
                                    .max(BigInteger.ZERO)
                                    .toString());
        } else {
            o.setMaxRepay("0").setSeizedCollateral("0").setExpectedIncentive("0");
        }
        boolean flagged = !r.marketFlags().isEmpty();
        // The keeper acts on an auction market's position once the pool accepts it (it starts the
        // auction); flags and takes are its business too, but not "acting on this opportunity".
        boolean keeperStarts = auctionMarket && r.actionable();
        o.setNodeWillAct(nodeExecutes && (o.getLiquidatable() || keeperStarts) && !flagged);
        if (!o.getNodeWillAct()) {
            o.setNodeSkipReason(
                    !nodeExecutes
                            ? "the node's liquidator is in watch mode"
                            : flagged
                                    ? "market flagged: " + r.marketFlags()
                                    : r.inAuction()
                                            ? "in auction (see position.auction): the keeper restarts"
                                                    + " it past its end and takes lots at its"
                                                    + " configured discount"
                                            : r.liquidatable() && !r.actionable()
                                                    ? "in its cure window (see"
                                                            + " position.cureWindowEndsAt); the"
                                                            + " keeper flags it if nobody has"
                                                    : "not liquidatable yet");
        }
        return Optional.of(o.build());
    }
}
