package io.freehold.sdk.internal;

import io.freehold.proto.v1.EndpointStatus;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.MarketParameters;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.proto.v1.SimulateRequest;
import io.freehold.proto.v1.SimulateResponse;
import io.freehold.sdk.AaveAccount;
import io.freehold.sdk.AaveLiquidationCall;
import io.freehold.sdk.AaveMarket;
import io.freehold.sdk.Actionability;
import io.freehold.sdk.Auction;
import io.freehold.sdk.BasisPoints;
import io.freehold.sdk.Cursor;
import io.freehold.sdk.HealthBand;
import io.freehold.sdk.HealthFactor;
import io.freehold.sdk.Liquidation;
import io.freehold.sdk.LiquidationAttempt;
import io.freehold.sdk.Market;
import io.freehold.sdk.NodeStatus;
import io.freehold.sdk.Opportunity;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.Protocol;
import io.freehold.sdk.Simulation;
import io.freehold.sdk.SimulationResult;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.Wad;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Not public API. Proto messages ↔ SDK types. Reading throws {@link IllegalArgumentException} for a
 * malformed field, naming it; the client turns that into a {@code FreeholdException}.
 */
public final class ProtoConverter {

    private ProtoConverter() {}

    // --- requests ---

    public static GetMarketRequest getMarket(MarketId id) {
        return GetMarketRequest.newBuilder().setMarketId(id.toString()).build();
    }

    public static GetPositionRequest getPosition(MarketId id, Address account) {
        return GetPositionRequest.newBuilder()
                .setMarketId(id.toString())
                .setAccount(account.toChecksumHex())
                .build();
    }

    public static ListPositionsRequest listPositions(PositionQuery query, String pageToken) {
        return ListPositionsRequest.newBuilder()
                .setFilter(filter(query))
                .setPageSize(query.pageSize())
                .setPageToken(pageToken)
                .build();
    }

    public static PositionFilter filter(PositionQuery query) {
        PositionFilter.Builder f = PositionFilter.newBuilder();
        query.market().ifPresent(m -> f.setMarketId(m.toString()));
        query.owner().ifPresent(o -> f.setOwner(o.toChecksumHex()));
        query.healthFactorBelow().ifPresent(hf -> f.setHealthFactorBelow(hf.raw().toString()));
        return f.build();
    }

    public static SimulateRequest simulate(Simulation s) {
        SimulateRequest.Builder r =
                SimulateRequest.newBuilder()
                        .setMarketId(s.market().toString())
                        .setAccount(s.account().toChecksumHex());
        String value = s.value().toString();
        switch (s.change()) {
            case PRICE:
                return r.setPrice(value).build();
            case BORROW:
                return r.setBorrow(value).build();
            case REPAY:
                return r.setRepay(value).build();
            case DEPOSIT_COLLATERAL:
                return r.setDepositCollateral(value).build();
            case WITHDRAW_COLLATERAL:
                return r.setWithdrawCollateral(value).build();
            case AAVE_PRICE:
                return r.setAavePrice(
                                io.freehold.proto.v1.AavePriceChange.newBuilder()
                                        .setAsset(s.asset().orElseThrow().toChecksumHex())
                                        .setPrice(value))
                        .build();
            default:
                throw new AssertionError("unhandled change " + s.change());
        }
    }

    // --- responses ---

    public static Position position(io.freehold.proto.v1.Position p) {
        Protocol protocol = Protocol.fromWireName(p.getProtocol());
        if (protocol == Protocol.AAVE_V3) {
            return aavePosition(p);
        }
        long unconfirmed = p.getUnconfirmedSinceBlock();
        return new Position(
                marketId(p.getMarketId(), "market_id"),
                address(p.getAccount(), "account"),
                uint(p.getSupplyShares(), "supply_shares"),
                uint(p.getSupplyAssets(), "supply_assets"),
                uint(p.getBorrowShares(), "borrow_shares"),
                uint(p.getDebt(), "debt"),
                uint(p.getCollateral(), "collateral"),
                uint(p.getCollateralValue(), "collateral_value"),
                wad(p.getLtv(), "ltv"),
                HealthFactor.of(wad(p.getHealthFactor(), "health_factor")),
                uint(p.getLiquidationPrice(), "liquidation_price"),
                uint(p.getMaxBorrowable(), "max_borrowable"),
                band(p.getBand()),
                HealthFactor.of(
                        wad(p.getHealthFactorAfterHaircut(), "health_factor_after_haircut")),
                p.getMarketFlagged(),
                unconfirmed == 0 ? OptionalLong.empty() : OptionalLong.of(unconfirmed),
                cursor(p.getAsOf()),
                Instant.ofEpochSecond(p.getAsOfTimestamp()),
                // A node older than the field leaves it empty.
                p.getClaimableRent().isEmpty()
                        ? BigInteger.ZERO
                        : uint(p.getClaimableRent(), "claimable_rent"),
                actionability(p),
                protocol,
                Optional.empty());
    }

    /**
     * An account of an Aave pool: the node leaves the Freehold-only fields empty, so they are null
     * here (Position's javadoc), and the figures come from {@code aave}.
     */
    private static Position aavePosition(io.freehold.proto.v1.Position p) {
        long unconfirmed = p.getUnconfirmedSinceBlock();
        return new Position(
                marketId(p.getMarketId(), "market_id"),
                address(p.getAccount(), "account"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                HealthFactor.of(wad(p.getHealthFactor(), "health_factor")),
                null,
                null,
                band(p.getBand()),
                null,
                p.getMarketFlagged(),
                unconfirmed == 0 ? OptionalLong.empty() : OptionalLong.of(unconfirmed),
                cursor(p.getAsOf()),
                Instant.ofEpochSecond(p.getAsOfTimestamp()),
                BigInteger.ZERO,
                Actionability.UNKNOWN,
                Protocol.AAVE_V3,
                Optional.of(aaveAccount(p.getAave())));
    }

    private static AaveAccount aaveAccount(io.freehold.proto.v1.AaveAccount a) {
        return new AaveAccount(
                uint(a.getTotalCollateralBase(), "aave.total_collateral_base"),
                uint(a.getTotalDebtBase(), "aave.total_debt_base"),
                uint(a.getAvailableBorrowsBase(), "aave.available_borrows_base"),
                basisPoints(
                        a.getCurrentLiquidationThreshold(), "aave.current_liquidation_threshold"),
                basisPoints(a.getLtv(), "aave.ltv"),
                HealthFactor.of(wad(a.getHealthFactor(), "aave.health_factor")),
                a.getEModeCategory(),
                a.getReservesList().stream()
                        .map(
                                r ->
                                        new AaveAccount.Reserve(
                                                address(r.getAsset(), "aave.reserves.asset"),
                                                uint(
                                                        r.getScaledATokenBalance(),
                                                        "aave.reserves.scaled_a_token_balance"),
                                                uint(
                                                        r.getATokenBalance(),
                                                        "aave.reserves.a_token_balance"),
                                                uint(
                                                        r.getScaledVariableDebt(),
                                                        "aave.reserves.scaled_variable_debt"),
                                                uint(
                                                        r.getVariableDebt(),
                                                        "aave.reserves.variable_debt"),
                                                r.getCollateral(),
                                                r.getBorrowing()))
                        .toList());
    }

    /** The cure window and auction fields; a node older than them leaves them at their defaults. */
    private static Actionability actionability(io.freehold.proto.v1.Position p) {
        return new Actionability(
                p.getCureFlaggedAt() == 0
                        ? Optional.empty()
                        : Optional.of(Instant.ofEpochSecond(p.getCureFlaggedAt())),
                p.getCureWindowEndsAt() == 0
                        ? Optional.empty()
                        : Optional.of(Instant.ofEpochSecond(p.getCureWindowEndsAt())),
                p.getInAuction(),
                p.getActionable(),
                p.hasAuction() ? Optional.of(auction(p.getAuction())) : Optional.empty());
    }

    private static Auction auction(io.freehold.proto.v1.Auction a) {
        return new Auction(
                a.getAuctionId(),
                Instant.ofEpochSecond(a.getStartedAt()),
                Instant.ofEpochSecond(a.getEndsAt()),
                a.getRestarts(),
                uint(a.getStartPrice(), "auction.start_price"),
                uint(a.getFloorPrice(), "auction.floor_price"),
                a.getCurrentPrice().isEmpty()
                        ? Optional.empty()
                        : Optional.of(uint(a.getCurrentPrice(), "auction.current_price")),
                Duration.ofSeconds(Math.max(0, a.getSecondsToFloor())),
                uint(a.getLotLeft(), "auction.lot_left"),
                uint(a.getTabLeft(), "auction.tab_left"),
                a.getNeedsRestart());
    }

    public static Market market(io.freehold.proto.v1.Market m) {
        Protocol protocol = Protocol.fromWireName(m.getProtocol());
        if (protocol == Protocol.AAVE_V3) {
            return aaveMarket(m);
        }
        MarketParameters p = m.getParameters();
        io.freehold.proto.v1.Appraisal a = m.getAppraisal();
        return new Market(
                marketId(m.getMarketId(), "market_id"),
                address(m.getCollateralToken(), "collateral_token"),
                address(m.getLoanToken(), "loan_token"),
                address(m.getOracle(), "oracle"),
                new Market.Parameters(
                        wad(p.getLltv(), "parameters.lltv"),
                        wad(p.getMaxLtv(), "parameters.max_ltv"),
                        wad(p.getLiquidationIncentive(), "parameters.liquidation_incentive"),
                        wad(p.getBaseRatePerYear(), "parameters.base_rate_per_year"),
                        wad(p.getSlope1PerYear(), "parameters.slope1_per_year"),
                        wad(p.getSlope2PerYear(), "parameters.slope2_per_year"),
                        wad(p.getKinkUtilization(), "parameters.kink_utilization"),
                        uint(p.getSupplyCap(), "parameters.supply_cap"),
                        uint(p.getBorrowCap(), "parameters.borrow_cap"),
                        uint(p.getMinLeftoverDebt(), "parameters.min_leftover_debt")),
                uint(m.getTotalSupplyAssets(), "total_supply_assets"),
                uint(m.getTotalSupplyShares(), "total_supply_shares"),
                uint(m.getTotalBorrowAssets(), "total_borrow_assets"),
                uint(m.getTotalBorrowShares(), "total_borrow_shares"),
                uint(m.getTotalCollateral(), "total_collateral"),
                wad(m.getUtilization(), "utilization"),
                wad(m.getBorrowApr(), "borrow_apr"),
                new Market.Appraisal(
                        uint(a.getPrice(), "appraisal.price"),
                        Instant.ofEpochSecond(a.getUpdatedAt()),
                        a.getAgeSeconds(),
                        uint(a.getMaxAgeSeconds(), "appraisal.max_age_seconds"),
                        a.getStale()),
                m.getPaused(),
                m.getFlagsList(),
                m.getPositionsHealthy(),
                m.getPositionsWarning(),
                m.getPositionsLiquidatable(),
                cursor(m.getAsOf()),
                Instant.ofEpochSecond(m.getAsOfTimestamp()),
                protocol,
                Optional.empty());
    }

    /** An Aave pool: its Freehold-only fields are null (Market's javadoc). */
    private static Market aaveMarket(io.freehold.proto.v1.Market m) {
        io.freehold.proto.v1.AaveMarket a = m.getAave();
        AaveMarket pool =
                new AaveMarket(
                        address(a.getPool(), "aave.pool"),
                        address(a.getAddressesProvider(), "aave.addresses_provider"),
                        address(a.getPoolConfigurator(), "aave.pool_configurator"),
                        address(a.getOracle(), "aave.oracle"),
                        a.getBaseCurrency().isEmpty()
                                ? Optional.empty()
                                : Optional.of(address(a.getBaseCurrency(), "aave.base_currency")),
                        a.getBaseCurrencyUnit().isEmpty()
                                ? Optional.empty()
                                : Optional.of(
                                        uint(a.getBaseCurrencyUnit(), "aave.base_currency_unit")),
                        a.getReservesList().stream().map(ProtoConverter::aaveReserve).toList());
        return new Market(
                marketId(m.getMarketId(), "market_id"),
                null,
                null,
                address(m.getOracle(), "oracle"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                m.getPaused(),
                m.getFlagsList(),
                m.getPositionsHealthy(),
                m.getPositionsWarning(),
                m.getPositionsLiquidatable(),
                cursor(m.getAsOf()),
                Instant.ofEpochSecond(m.getAsOfTimestamp()),
                Protocol.AAVE_V3,
                Optional.of(pool));
    }

    private static AaveMarket.Reserve aaveReserve(io.freehold.proto.v1.AaveReserve r) {
        return new AaveMarket.Reserve(
                address(r.getAsset(), "aave.reserves.asset"),
                address(r.getAToken(), "aave.reserves.a_token"),
                address(r.getVariableDebtToken(), "aave.reserves.variable_debt_token"),
                r.getDecimals(),
                new BasisPoints(r.getLtvBps()),
                new BasisPoints(r.getLiquidationThresholdBps()),
                new BasisPoints(r.getLiquidationBonusBps()),
                r.getBorrowingEnabled(),
                r.getActive(),
                r.getFrozen(),
                r.getPaused(),
                r.getEModeCategory(),
                uint(r.getConfiguration(), "aave.reserves.configuration"),
                r.getPrice().isEmpty()
                        ? Optional.empty()
                        : Optional.of(uint(r.getPrice(), "aave.reserves.price")),
                uint(r.getNormalizedIncome(), "aave.reserves.normalized_income"),
                uint(r.getNormalizedVariableDebt(), "aave.reserves.normalized_variable_debt"),
                uint(r.getLiquidityRate(), "aave.reserves.liquidity_rate"),
                uint(r.getVariableBorrowRate(), "aave.reserves.variable_borrow_rate"),
                Instant.ofEpochSecond(r.getLastUpdateTimestamp()));
    }

    public static NodeStatus nodeStatus(io.freehold.proto.v1.NodeStatus s) {
        return new NodeStatus(
                s.getChainId(),
                s.getHead(),
                s.getAppliedBlock(),
                s.getFinalBlock(),
                s.getLagBlocks(),
                named(NodeStatus.Phase.class, s.getPhase(), NodeStatus.Phase.UNKNOWN),
                s.getEndpointsList().stream().map(ProtoConverter::endpoint).toList(),
                s.getVersion(),
                named(
                        NodeStatus.LiquidatorMode.class,
                        s.getLiquidatorMode(),
                        NodeStatus.LiquidatorMode.UNKNOWN),
                cursor(s.getCursor()),
                Protocol.fromWireName(s.getProtocol()));
    }

    public static SimulationResult simulationResult(SimulateResponse r) {
        String revert = r.getRevertReason();
        return new SimulationResult(
                position(r.getBefore()),
                position(r.getAfter()),
                revert.isEmpty() ? Optional.empty() : Optional.of(revert));
    }

    public static Opportunity opportunity(LiquidationOpportunity o) {
        return new Opportunity(
                position(o.getPosition()),
                o.getLiquidatable(),
                uint(o.getMaxRepay(), "max_repay"),
                uint(o.getSeizedCollateral(), "seized_collateral"),
                uint(o.getExpectedIncentive(), "expected_incentive"),
                o.getNodeWillAct(),
                o.getNodeSkipReason().isEmpty()
                        ? Optional.empty()
                        : Optional.of(o.getNodeSkipReason()),
                o.hasAave() ? Optional.of(liquidationCall(o.getAave())) : Optional.empty());
    }

    private static AaveLiquidationCall liquidationCall(io.freehold.proto.v1.AaveLiquidationCall c) {
        return new AaveLiquidationCall(
                address(c.getCollateralAsset(), "aave.collateral_asset"),
                address(c.getDebtAsset(), "aave.debt_asset"),
                new BasisPoints(c.getCloseFactorBps()),
                uint(c.getProtocolFee(), "aave.protocol_fee"));
    }

    public static Liquidation liquidation(io.freehold.proto.v1.Liquidation l) {
        return new Liquidation(
                marketId(l.getMarketId(), "market_id"),
                address(l.getLiquidator(), "liquidator"),
                address(l.getBorrower(), "borrower"),
                address(l.getReceiver(), "receiver"),
                uint(l.getRepaidAssets(), "repaid_assets"),
                uint(l.getRepaidShares(), "repaid_shares"),
                uint(l.getSeizedCollateral(), "seized_collateral"),
                uint(l.getBadDebtAssets(), "bad_debt_assets"),
                uint(l.getBadDebtShares(), "bad_debt_shares"),
                l.getBlockNumber(),
                l.getTransactionHash(),
                Instant.ofEpochSecond(l.getTimestamp()));
    }

    public static LiquidationAttempt attempt(io.freehold.proto.v1.LiquidationAttempt a) {
        return new LiquidationAttempt(
                a.getId(),
                marketId(a.getMarketId(), "market_id"),
                address(a.getBorrower(), "borrower"),
                attemptStatus(a.getStatus()),
                a.getReason().isEmpty() ? Optional.empty() : Optional.of(a.getReason()),
                a.getTransactionHashesList(),
                a.getTransactionHashesCount() == 0
                        ? OptionalLong.empty()
                        : OptionalLong.of(a.getNonce()),
                a.getRepaidAssets().isEmpty()
                        ? Optional.empty()
                        : Optional.of(uint(a.getRepaidAssets(), "repaid_assets")),
                a.getSeizedCollateral().isEmpty()
                        ? Optional.empty()
                        : Optional.of(uint(a.getSeizedCollateral(), "seized_collateral")),
                a.getMinedBlock() == 0 ? OptionalLong.empty() : OptionalLong.of(a.getMinedBlock()),
                Instant.ofEpochSecond(a.getCreatedAt()),
                Instant.ofEpochSecond(a.getUpdatedAt()),
                attemptKind(a.getKind()));
    }

    /** A node from before attempt kinds sends none: its attempts are all liquidations. */
    private static LiquidationAttempt.Kind attemptKind(io.freehold.proto.v1.AttemptKind k) {
        return switch (k) {
            case ATTEMPT_KIND_UNSPECIFIED, ATTEMPT_KIND_LIQUIDATE ->
                    LiquidationAttempt.Kind.LIQUIDATE;
            case ATTEMPT_KIND_FLAG -> LiquidationAttempt.Kind.FLAG;
            case ATTEMPT_KIND_START_AUCTION -> LiquidationAttempt.Kind.START_AUCTION;
            case ATTEMPT_KIND_RESTART_AUCTION -> LiquidationAttempt.Kind.RESTART_AUCTION;
            case ATTEMPT_KIND_TAKE -> LiquidationAttempt.Kind.TAKE;
            case ATTEMPT_KIND_AAVE_LIQUIDATION_CALL ->
                    LiquidationAttempt.Kind.AAVE_LIQUIDATION_CALL;
            default -> LiquidationAttempt.Kind.UNKNOWN;
        };
    }

    private static LiquidationAttempt.Status attemptStatus(io.freehold.proto.v1.AttemptStatus s) {
        return switch (s) {
            case ATTEMPT_STATUS_SKIPPED -> LiquidationAttempt.Status.SKIPPED;
            case ATTEMPT_STATUS_IN_FLIGHT -> LiquidationAttempt.Status.IN_FLIGHT;
            case ATTEMPT_STATUS_MINED -> LiquidationAttempt.Status.MINED;
            case ATTEMPT_STATUS_FAILED -> LiquidationAttempt.Status.FAILED;
            case ATTEMPT_STATUS_GAVE_UP -> LiquidationAttempt.Status.GAVE_UP;
            case ATTEMPT_STATUS_MINED_UNCONFIRMED -> LiquidationAttempt.Status.MINED_UNCONFIRMED;
            case ATTEMPT_STATUS_ORPHANED_RETRIED -> LiquidationAttempt.Status.ORPHANED_RETRIED;
            default -> LiquidationAttempt.Status.UNKNOWN;
        };
    }

    public static Cursor cursor(io.freehold.proto.v1.Cursor c) {
        return new Cursor(c.getBlockNumber(), c.getBlockHash(), c.getSequence());
    }

    public static io.freehold.proto.v1.Cursor cursor(Cursor c) {
        return io.freehold.proto.v1.Cursor.newBuilder()
                .setBlockNumber(c.blockNumber())
                .setBlockHash(c.blockHash())
                .setSequence(c.sequence())
                .build();
    }

    public static HealthBand band(io.freehold.proto.v1.HealthBand band) {
        switch (band) {
            case HEALTH_BAND_HEALTHY:
                return HealthBand.HEALTHY;
            case HEALTH_BAND_WARNING:
                return HealthBand.WARNING;
            case HEALTH_BAND_LIQUIDATABLE:
                return HealthBand.LIQUIDATABLE;
            default:
                return HealthBand.UNKNOWN;
        }
    }

    private static NodeStatus.Endpoint endpoint(EndpointStatus e) {
        return new NodeStatus.Endpoint(
                e.getName(),
                named(NodeStatus.Breaker.class, e.getBreaker(), NodeStatus.Breaker.UNKNOWN),
                e.getLastSeenHead(),
                e.getLagging(),
                e.getLastError());
    }

    private static <E extends Enum<E>> E named(Class<E> type, String name, E unknown) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return unknown;
        }
    }

    private static MarketId marketId(String s, String field) {
        try {
            return MarketId.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw malformed(field, e);
        }
    }

    private static Address address(String s, String field) {
        try {
            return Address.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw malformed(field, e);
        }
    }

    // Amounts, shares and prices: decimal strings of a uint256; TokenAmount checks exactly that.
    private static BigInteger uint(String s, String field) {
        try {
            return TokenAmount.parse(s, 0).baseUnits();
        } catch (IllegalArgumentException e) {
            throw malformed(field, e);
        }
    }

    // Aave's ratios are uint256 basis points on the wire (getUserAccountData's own type).
    private static BasisPoints basisPoints(String raw, String field) {
        BigInteger value = uint(raw, field);
        if (value.bitLength() > 31) {
            throw new IllegalArgumentException(
                    field + ": " + raw + " basis points is out of range");
        }
        return new BasisPoints(value.intValueExact());
    }

    private static Wad wad(String raw, String field) {
        return Wad.of(uint(raw, field));
    }

    private static IllegalArgumentException malformed(String field, IllegalArgumentException e) {
        return new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
}
