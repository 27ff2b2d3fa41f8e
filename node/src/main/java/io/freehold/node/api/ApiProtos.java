package io.freehold.node.api;

import com.google.protobuf.ByteString;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Rates;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.risk.AuctionStanding;
import io.freehold.node.risk.HealthBand;
import io.freehold.node.risk.MarketRisk;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.proto.v1.Appraisal;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.MarketParameters;
import io.freehold.proto.v1.Position;
import java.math.BigInteger;

/**
 * The node's records as {@code freehold.v1} messages. Numbers cross as decimal strings of the exact
 * integers the node holds: nothing is scaled, rounded or formatted here.
 */
final class ApiProtos {

    private ApiProtos() {}

    static Cursor cursor(Checkpoint cp) {
        return Cursor.newBuilder()
                .setBlockNumber(cp.number())
                .setBlockHash(cp.hash().hex())
                .build();
    }

    static Position position(PositionRisk risk) {
        Position.Builder p =
                position(
                                risk.marketId().hex(),
                                risk.account().hex(),
                                risk.valuation(),
                                risk.band(),
                                risk.healthFactorAfterHaircut(),
                                !risk.marketFlags().isEmpty(),
                                risk.asOf())
                        .setUnconfirmedSinceBlock(risk.unconfirmedSince().orElse(0))
                        .setClaimableRentBytes(Decimals.bytes(risk.claimableRent()))
                        .setCureFlaggedAt(risk.cureFlag().flaggedAt())
                        .setCureWindowEndsAt(risk.cureWindowEndsAt().orElse(0))
                        .setInAuction(risk.inAuction())
                        .setActionable(risk.actionable());
        risk.auction().ifPresent(a -> p.setAuction(auction(a, risk)));
        return p.build();
    }

    /** The position's active auction where it stands at the position's {@code asOf}. */
    static io.freehold.proto.v1.Auction auction(AuctionStanding standing, PositionRisk risk) {
        AuctionRecord a = standing.auction();
        return io.freehold.proto.v1.Auction.newBuilder()
                .setAuctionId(a.auctionId())
                .setStartedAt(a.startedAt())
                .setEndsAt(a.endsAt())
                .setRestarts(a.restarts())
                .setStartPriceBytes(Decimals.bytes(a.startPrice()))
                .setFloorPriceBytes(Decimals.bytes(a.floorPrice()))
                .setCurrentPrice(standing.price().map(Decimals::of).orElse(""))
                .setSecondsToFloor(standing.secondsToFloor())
                .setLotLeftBytes(Decimals.bytes(risk.collateral()))
                .setTabLeftBytes(Decimals.bytes(risk.debt()))
                .setNeedsRestart(standing.needsRestart())
                .build();
    }

    /**
     * A position valued at {@code asOf}; the caller adds what the valuation does not know. {@code
     * healthAfterHaircut} may be null (left empty).
     */
    static Position.Builder position(
            String marketId,
            String account,
            PositionValuation v,
            HealthBand band,
            BigInteger healthAfterHaircut,
            boolean flagged,
            Checkpoint asOf) {
        return Position.newBuilder()
                .setMarketId(marketId)
                .setAccount(account)
                .setSupplySharesBytes(Decimals.bytes(v.supplyShares()))
                .setSupplyAssetsBytes(Decimals.bytes(v.supplyAssets()))
                .setBorrowSharesBytes(Decimals.bytes(v.borrowShares()))
                .setDebtBytes(Decimals.bytes(v.debt()))
                .setCollateralBytes(Decimals.bytes(v.collateral()))
                .setCollateralValueBytes(Decimals.bytes(v.collateralValue()))
                .setLtvBytes(Decimals.bytes(v.ltv()))
                .setHealthFactorBytes(Decimals.bytes(v.healthFactor()))
                .setLiquidationPriceBytes(Decimals.bytes(v.liquidationPrice()))
                .setMaxBorrowableBytes(Decimals.bytes(v.maxBorrowable()))
                .setBand(band(band))
                .setHealthFactorAfterHaircutBytes(
                        healthAfterHaircut == null
                                ? ByteString.EMPTY
                                : Decimals.bytes(healthAfterHaircut))
                .setMarketFlagged(flagged)
                .setAsOf(cursor(asOf))
                .setAsOfTimestamp(asOf.timestamp());
    }

    static io.freehold.proto.v1.HealthBand band(HealthBand band) {
        switch (band) {
            case HEALTHY:
                return io.freehold.proto.v1.HealthBand.HEALTH_BAND_HEALTHY;
            case WARNING:
                return io.freehold.proto.v1.HealthBand.HEALTH_BAND_WARNING;
            default:
                return io.freehold.proto.v1.HealthBand.HEALTH_BAND_LIQUIDATABLE;
        }
    }

    /**
     * A market: parameters and totals from the follower's state (accrued to as-of), price and flags
     * from risk.
     */
    static Market market(MarketRecord record, MarketRisk risk) {
        Checkpoint asOf = risk.asOf();
        MarketState accrued = ContractMath.accruedTo(record, asOf.timestamp());
        MarketTerms p = record.params();
        BigInteger borrowApr = accrued.borrowRatePerSecond(p).multiply(Rates.SECONDS_PER_YEAR);
        Market.Builder m =
                Market.newBuilder()
                        .setMarketId(record.id().hex())
                        .setCollateralToken(p.collateralToken().hex())
                        .setLoanToken(p.loanToken().hex())
                        .setOracle(p.oracle().hex())
                        .setParameters(
                                MarketParameters.newBuilder()
                                        .setLltv(p.lltv().toString())
                                        .setMaxLtv(p.maxLtv().toString())
                                        .setLiquidationIncentive(
                                                p.liquidationIncentive().toString())
                                        .setBaseRatePerYear(p.baseRatePerYear().toString())
                                        .setSlope1PerYear(p.slope1PerYear().toString())
                                        .setSlope2PerYear(p.slope2PerYear().toString())
                                        .setKinkUtilization(p.kinkUtilization().toString())
                                        .setSupplyCap(p.supplyCap().toString())
                                        .setBorrowCap(p.borrowCap().toString())
                                        .setMinLeftoverDebt(p.minLeftoverDebt().toString()))
                        .setTotalSupplyAssets(accrued.totalSupplyAssets().toString())
                        .setTotalSupplyShares(accrued.totalSupplyShares().toString())
                        .setTotalBorrowAssets(accrued.totalBorrowAssets().toString())
                        .setTotalBorrowShares(accrued.totalBorrowShares().toString())
                        .setTotalCollateral(accrued.totalCollateral().toString())
                        .setUtilization(accrued.utilization().toString())
                        .setBorrowApr(borrowApr.toString())
                        .setAppraisal(
                                Appraisal.newBuilder()
                                        .setPrice(risk.price().toString())
                                        .setUpdatedAt(risk.priceUpdatedAt())
                                        .setAgeSeconds(risk.appraisalAgeSeconds())
                                        .setMaxAgeSeconds(risk.priceMaxAge().toString())
                                        .setStale(risk.stale()))
                        .setPaused(risk.paused())
                        .setPositionsHealthy(risk.borrowers().getOrDefault(HealthBand.HEALTHY, 0))
                        .setPositionsWarning(risk.borrowers().getOrDefault(HealthBand.WARNING, 0))
                        .setPositionsLiquidatable(
                                risk.borrowers().getOrDefault(HealthBand.LIQUIDATABLE, 0))
                        .setAsOf(cursor(asOf))
                        .setAsOfTimestamp(asOf.timestamp());
        risk.flags().forEach((flag, why) -> m.addFlags(flag.name() + ": " + why));
        return m.build();
    }

    static io.freehold.proto.v1.Liquidation liquidation(LiquidationRecord l) {
        return io.freehold.proto.v1.Liquidation.newBuilder()
                .setMarketId(l.marketId().hex())
                .setLiquidator(l.liquidator().hex())
                .setBorrower(l.borrower().hex())
                .setReceiver(l.receiver().hex())
                .setRepaidAssets(l.repaidAssets().toString())
                .setRepaidShares(l.repaidShares().toString())
                .setSeizedCollateral(l.seizedCollateral().toString())
                .setBadDebtAssets(l.badDebtAssets().toString())
                .setBadDebtShares(l.badDebtShares().toString())
                .setBlockNumber(l.blockNumber())
                .setTransactionHash(l.transactionHash())
                .setTimestamp(l.timestamp())
                .build();
    }
}
