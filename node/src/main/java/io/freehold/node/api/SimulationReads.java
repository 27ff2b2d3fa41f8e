package io.freehold.node.api;

import io.freehold.contracts.math.ActionPreview;
import io.freehold.contracts.math.ActionRevert;
import io.freehold.contracts.math.AuctionTake;
import io.freehold.contracts.math.Auctions;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Previews;
import io.freehold.contracts.math.Risk;
import io.freehold.contracts.math.Valuation;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.ingest.IngestionService;
import io.freehold.node.risk.AuctionStanding;
import io.freehold.node.risk.HealthBand;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskConfiguration;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.proto.v1.TakeChange;
import io.freehold.proto.v1.TakeError;
import io.freehold.proto.v1.TakeQuote;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * {@code SimulationService}: what one action or a new appraisal would do to a position, with the
 * pool's own math (io.freehold.contracts.math.Previews) on the node's state at its last block: the
 * same accrual, rounding and revert reasons as the contract. No call, no transaction. Behind both
 * the gRPC endpoint ({@link SimulationEndpoint}) and {@code GET /v1/simulate}.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class SimulationReads {

    private final IngestionService ingestion;
    private final RiskService risk;
    private final BigInteger warning;

    public SimulationReads(IngestionService ingestion, RiskService risk, RiskConfiguration config) {
        this.ingestion = ingestion;
        this.risk = risk;
        this.warning = config.warningHealthFactor().multiply(BigDecimal.TEN.pow(18)).toBigInteger();
    }

    public SimulateResponse simulate(SimulateRequest request) {
        MarketId id = ApiArguments.marketId("market_id", request.getMarketId());
        Address account = ApiArguments.address("account", request.getAccount());
        MarketRecord market =
                ingestion
                        .follower()
                        .state()
                        .market(id)
                        .orElseThrow(() -> ApiException.unknownMarket(id));
        PositionRisk before =
                risk.engine()
                        .risk(id, account)
                        .orElseThrow(() -> ApiException.unknownPosition("account", id, account));
        if (request.getChangeCase() == SimulateRequest.ChangeCase.TAKE) {
            return take(request.getTake(), before, market);
        }
        long now = before.asOf().timestamp();
        MarketTerms terms = market.params();
        MarketState accrued = ContractMath.accruedTo(market, now);
        PositionState position =
                ingestion
                        .follower()
                        .state()
                        .position(id, account)
                        .map(PositionRecord::state)
                        .orElse(PositionState.EMPTY);
        BigInteger price = before.price();
        ActionPreview preview = null;
        switch (request.getChangeCase()) {
            case PRICE -> price = ApiArguments.amount("price", request.getPrice());
            case BORROW ->
                    preview =
                            Previews.borrow(
                                    terms,
                                    stored(market),
                                    now,
                                    position,
                                    price,
                                    ApiArguments.amount("borrow", request.getBorrow()));
            case REPAY ->
                    preview =
                            Previews.repay(
                                    terms,
                                    stored(market),
                                    now,
                                    position,
                                    ApiArguments.amount("repay", request.getRepay()));
            case DEPOSIT_COLLATERAL ->
                    preview =
                            Previews.supplyCollateral(
                                    terms,
                                    accrued,
                                    position,
                                    ApiArguments.amount(
                                            "deposit_collateral", request.getDepositCollateral()));
            case WITHDRAW_COLLATERAL ->
                    preview =
                            Previews.withdrawCollateral(
                                    terms,
                                    stored(market),
                                    now,
                                    position,
                                    price,
                                    ApiArguments.amount(
                                            "withdraw_collateral",
                                            request.getWithdrawCollateral()));
            case AAVE_PRICE ->
                    throw ApiException.invalid(
                            "WRONG_PROTOCOL",
                            "aave_price",
                            "aave_price is a reserve's price on an Aave pool; a Freehold market's"
                                    + " appraisal is price");
            default ->
                    throw ApiException.invalid(
                            "MISSING_FIELD",
                            "change",
                            "set one change: price, borrow, repay, deposit_collateral,"
                                    + " withdraw_collateral or take");
        }
        Position beforeProto = ApiProtos.position(before);
        SimulateResponse.Builder answer = SimulateResponse.newBuilder().setBefore(beforeProto);
        String refused = complianceRefusal(request.getChangeCase(), market, account, preview);
        if (refused != null) {
            return answer.setAfter(beforeProto).setRevertReason(refused).build();
        }
        if (preview != null && preview.revert().isPresent()) {
            String signature = preview.revert().get().reason().errorSignature();
            return answer.setAfter(beforeProto)
                    .setRevertReason(signature.substring(0, signature.indexOf('(')))
                    .build();
        }
        MarketState marketAfter = preview == null ? accrued : preview.market();
        PositionState positionAfter = preview == null ? position : preview.position();
        PositionValuation after = Valuation.of(terms, marketAfter, positionAfter, price);
        HealthBand band = HealthBand.of(after.healthFactor(), warning);
        // The age haircut applies to the appraisal in force: a simulated new appraisal is fresh
        // (none),
        // otherwise the market's current haircut price, exactly as the engine computes it.
        BigInteger haircutPrice =
                request.getChangeCase() == SimulateRequest.ChangeCase.PRICE
                        ? price
                        : risk.engine().market(id).orElseThrow().haircutPrice();
        BigInteger afterHaircut =
                Risk.healthFactor(
                        Risk.collateralValue(after.collateral(), haircutPrice),
                        terms.lltv(),
                        after.debt());
        return answer.setAfter(
                        ApiProtos.position(
                                        id.hex(),
                                        account.hex(),
                                        after,
                                        band,
                                        afterHaircut,
                                        !before.marketFlags().isEmpty(),
                                        before.asOf())
                                // No simulated change moves claimable rent: collateral moves settle
                                // it first, unchanged.
                                .setClaimableRent(before.claimableRent().toString())
                                .build())
                .build();
    }

    /**
     * A take from the position's auction at the node's latest block, in the order {@code
     * DutchAuction.take} checks (AuctionNotActive, AuctionNeedsRestart, PriceAboveLimit, ZeroTake,
     * TakeExceedsLot, then the pool's CollateralPaused), sized by {@link Auctions#take} on the
     * position's lot and debt accrued to that block: to the wei what the take would do there. The
     * taker's own checks (verified, unfrozen) are not the position's and are left out.
     */
    private SimulateResponse take(TakeChange change, PositionRisk before, MarketRecord market) {
        BigInteger collateral = ApiArguments.amount("take.collateral", change.getCollateral());
        Optional<BigInteger> maxPrice =
                change.getMaxPrice().isEmpty()
                        ? Optional.empty()
                        : Optional.of(ApiArguments.amount("take.max_price", change.getMaxPrice()));
        SimulateResponse.Builder answer =
                SimulateResponse.newBuilder().setBefore(ApiProtos.position(before));
        Optional<AuctionStanding> standing = before.auction();
        if (standing.isEmpty() || !standing.get().auction().active()) {
            return refused(answer, TakeError.TAKE_ERROR_NO_AUCTION, "AuctionNotActive");
        }
        if (standing.get().needsRestart()) {
            return refused(answer, TakeError.TAKE_ERROR_NEEDS_RESTART, "AuctionNeedsRestart");
        }
        BigInteger price = standing.get().price().get();
        if (maxPrice.isPresent() && price.compareTo(maxPrice.get()) > 0) {
            return refused(answer, TakeError.TAKE_ERROR_ABOVE_MAX_PRICE, "PriceAboveLimit");
        }
        if (collateral.signum() == 0) {
            return refused(answer, TakeError.TAKE_ERROR_ZERO, "ZeroTake");
        }
        BigInteger lot = before.collateral();
        if (!collateral.equals(Uint256.MAX) && collateral.compareTo(lot) > 0) {
            return refused(answer, TakeError.TAKE_ERROR_MORE_THAN_LEFT, "TakeExceedsLot");
        }
        boolean paused =
                ingestion
                        .follower()
                        .state()
                        .token(market.params().collateralToken())
                        .map(io.freehold.node.state.TokenRecord::paused)
                        .orElse(false);
        if (paused) {
            return refused(answer, TakeError.TAKE_ERROR_COLLATERAL_PAUSED, "CollateralPaused");
        }
        BigInteger debt = before.debt();
        AuctionTake take = Auctions.take(lot, debt, collateral, price);
        BigInteger lotLeft = lot.subtract(take.bought());
        BigInteger debtLeft = debt.subtract(take.paid());
        boolean ends = take.closesDebt() || lotLeft.signum() == 0;
        return answer.setTake(
                        TakeQuote.newBuilder()
                                .setAuctionId(standing.get().auction().auctionId())
                                .setPrice(price.toString())
                                .setCollateralTaken(take.bought().toString())
                                .setLoanPaid(take.paid().toString())
                                .setDebtCovered(take.paid().toString())
                                .setCollateralReturned(
                                        (take.closesDebt() ? lotLeft : BigInteger.ZERO).toString())
                                .setLotLeft(lotLeft.toString())
                                .setDebtLeft(debtLeft.toString())
                                .setEndsAuction(ends)
                                .setAtTimestamp(before.asOf().timestamp()))
                .build();
    }

    private static SimulateResponse refused(
            SimulateResponse.Builder answer, TakeError error, String contractError) {
        return answer.setTakeError(error).setRevertReason(contractError).build();
    }

    /**
     * The pool's checks that are not the math's, in its order (after a zero amount): {@code borrow}
     * refuses while the property token is paused ({@code CollateralPaused}); {@code borrow}, {@code
     * withdrawCollateral} and {@code supplyCollateral} refuse an owner who is unverified or frozen
     * ({@code OwnerNotAllowed}).
     */
    private String complianceRefusal(
            SimulateRequest.ChangeCase change,
            MarketRecord market,
            Address account,
            ActionPreview preview) {
        if (preview == null
                || preview.revert()
                        .map(r -> r.reason() == ActionRevert.ZERO_AMOUNT)
                        .orElse(false)) {
            return null;
        }
        var state = ingestion.follower().state();
        Address token = market.params().collateralToken();
        if (change == SimulateRequest.ChangeCase.BORROW
                && state.token(token)
                        .map(io.freehold.node.state.TokenRecord::paused)
                        .orElse(false)) {
            return "CollateralPaused";
        }
        boolean ownerChecked =
                change == SimulateRequest.ChangeCase.BORROW
                        || change == SimulateRequest.ChangeCase.WITHDRAW_COLLATERAL
                        || change == SimulateRequest.ChangeCase.DEPOSIT_COLLATERAL;
        if (ownerChecked && (state.isFrozen(token, account) || !state.isVerified(account))) {
            return "OwnerNotAllowed";
        }
        return null;
    }

    private static MarketState stored(MarketRecord market) {
        return market.totals();
    }
}
