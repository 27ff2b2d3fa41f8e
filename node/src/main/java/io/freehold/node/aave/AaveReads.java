package io.freehold.node.aave;

import com.google.rpc.Code;
import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveReserve;
import io.freehold.contracts.math.aave.AaveUserReserve;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.contracts.math.aave.RayMath;
import io.freehold.contracts.math.aave.ReserveConfiguration;
import io.freehold.node.api.ApiArguments;
import io.freehold.node.api.ApiException;
import io.freehold.node.api.NodeReads;
import io.freehold.node.api.Version;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.config.Protocol;
import io.freehold.node.risk.HealthBand;
import io.freehold.node.risk.RiskConfiguration;
import io.freehold.proto.v1.AaveAccount;
import io.freehold.proto.v1.AaveAccountReserve;
import io.freehold.proto.v1.AaveMarket;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.GetMarketRequest;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.ListMarketsRequest;
import io.freehold.proto.v1.ListMarketsResponse;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Market;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.Position;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.util.Map;

/**
 * The {@code freehold.v1} reads of a node following an Aave v3 pool ({@code
 * freehold.node.protocol=aave-v3}), each answered from one {@link AppliedAaveBook}: every figure of
 * one answer is as of the same block, named by its {@code as_of} cursor.
 *
 * <p>The shape (docs/AAVE.md): the pool is one market whose id is the pool's address left-padded to
 * 32 bytes (a valid {@code market_id} for every client) with its reserves in {@code Market.aave};
 * each account is a position of that market with the pool's health factor and band, and {@code
 * getUserAccountData}'s six figures in {@code Position.aave}. Fields that only mean something for
 * Freehold's pool are left empty rather than filled with figures of another unit.
 */
@Singleton
@Requires(property = "freehold.node.protocol", value = "aave-v3")
@Requires(property = "freehold.node.follow", notEquals = "false")
public final class AaveReads {

    /** A page token is the last account of the page: the next page starts after it. */
    private static final String PAGE_TOKEN_PREFIX = "aave:";

    private final AaveFollowingService following;
    private final ChainRpc rpc;
    private final NodeConfiguration config;
    private final BigInteger warningHealthFactor;
    private final AaveLiquidationService liquidations;

    public AaveReads(
            AaveFollowingService following,
            ChainRpc rpc,
            NodeConfiguration config,
            RiskConfiguration risk,
            AaveLiquidationService liquidations) {
        this.following = following;
        this.liquidations = liquidations;
        this.rpc = rpc;
        this.config = config;
        this.warningHealthFactor = risk.warningHealthFactorWad();
    }

    /** The market id of {@code pool}: its 20 bytes left-padded to 32, as ABI encoding pads them. */
    public static MarketId marketId(Address pool) {
        return MarketId.of("0x" + "0".repeat(24) + pool.hex().substring(2));
    }

    public NodeStatus status(GetStatusRequest request) {
        AaveFollower f = following.follower();
        long head = rpc.bestHead();
        long applied = f.appliedBlock();
        NodeStatus.Builder status =
                NodeStatus.newBuilder()
                        .setChainId(config.chainId())
                        .setHead(Math.max(0, head))
                        .setAppliedBlock(Math.max(0, applied))
                        .setFinalBlock(Math.max(0, applied - config.confirmations()))
                        .setLagBlocks(head < 0 ? 0 : Math.max(0, head - applied))
                        .setPhase(following.phase().name())
                        .setVersion(Version.NODE)
                        .setProtocol(Protocol.AAVE_V3.value())
                        .setLiquidatorRole(liquidations.role().name())
                        .setLiquidatorEpoch(liquidations.epoch());
        f.applied().ifPresent(a -> status.setCursor(cursor(a)));
        NodeReads.addEndpoints(status, rpc);
        return status.build();
    }

    public ListMarketsResponse listMarkets(ListMarketsRequest request) {
        ApiArguments.pageSize(request.getPageSize());
        if (!request.getPageToken().isEmpty()) {
            throw ApiException.invalid(
                    "INVALID_PAGE", "page_token", "page_token was not issued by this node");
        }
        AppliedAaveBook applied = applied();
        return ListMarketsResponse.newBuilder()
                .addMarkets(market(applied))
                .setAsOf(cursor(applied))
                .build();
    }

    public Market getMarket(GetMarketRequest request) {
        MarketId id = ApiArguments.marketId("market_id", request.getMarketId());
        requireMarket(id);
        return market(applied());
    }

    public Position getPosition(GetPositionRequest request) {
        MarketId id = ApiArguments.marketId("market_id", request.getMarketId());
        Address account = ApiArguments.address("account", request.getAccount());
        requireMarket(id);
        AppliedAaveBook applied = applied();
        if (applied.book().positions(account).isEmpty()) {
            throw ApiException.unknownPosition("account", id, account);
        }
        return position(applied, account);
    }

    /**
     * The accounts with debt (the pool's borrowing bit in some reserve), in account order, paged by
     * account; filters: market, owner, health factor below.
     */
    public ListPositionsResponse listPositions(ListPositionsRequest request) {
        int pageSize = ApiArguments.pageSize(request.getPageSize());
        var filter = request.getFilter();
        MarketId id = ApiArguments.optionalMarketId("filter.market_id", filter.getMarketId());
        if (id != null) {
            requireMarket(id);
        }
        Address owner = ApiArguments.optionalAddress("filter.owner", filter.getOwner());
        BigInteger below =
                ApiArguments.optionalRatio(
                        "filter.health_factor_below", filter.getHealthFactorBelow());
        Address after = null;
        if (!request.getPageToken().isEmpty()) {
            String token = request.getPageToken();
            try {
                if (!token.startsWith(PAGE_TOKEN_PREFIX)) {
                    throw new IllegalArgumentException(token);
                }
                after = Address.of(token.substring(PAGE_TOKEN_PREFIX.length()));
            } catch (RuntimeException e) {
                throw ApiException.invalid(
                        "INVALID_PAGE", "page_token", "page_token was not issued by this node");
            }
        }
        AppliedAaveBook applied = applied();
        ListPositionsResponse.Builder answer =
                ListPositionsResponse.newBuilder().setAsOf(cursor(applied));
        Address last = null;
        boolean more = false;
        for (Address account : applied.book().accounts()) { // a sorted set
            if ((after != null && account.compareTo(after) <= 0)
                    || (owner != null && !owner.equals(account))
                    || !borrows(applied.book(), account)) {
                continue;
            }
            AccountData data = applied.accountData(account);
            if (below != null && data.healthFactor().compareTo(below) >= 0) {
                continue;
            }
            if (answer.getPositionsCount() == pageSize) {
                more = true;
                break;
            }
            answer.addPositions(position(applied, account, data));
            last = account;
        }
        if (more) {
            answer.setNextPageToken(PAGE_TOKEN_PREFIX + last.hex());
        }
        return answer.build();
    }

    private static boolean borrows(AaveBook book, Address account) {
        return book.positions(account).values().stream().anyMatch(AaveUserReserve::borrowing);
    }

    AppliedAaveBook applied() {
        return following
                .follower()
                .applied()
                .orElseThrow(
                        () ->
                                new ApiException(
                                                Code.UNAVAILABLE,
                                                "NOT_READY",
                                                "",
                                                "the node has not applied a block of the market yet")
                                        .with("phase", following.phase().name()));
    }

    void requireMarket(MarketId id) {
        if (!id.equals(marketId(following.follower().market().pool()))) {
            throw ApiException.unknownMarket(id);
        }
    }

    private static Cursor cursor(AppliedAaveBook applied) {
        return Cursor.newBuilder()
                .setBlockNumber(applied.block().number())
                .setBlockHash(applied.block().hash().hex())
                .build();
    }

    private Market market(AppliedAaveBook applied) {
        AaveMarketContracts contracts = following.follower().market();
        AaveBook book = applied.book();
        long t = applied.block().timestamp();
        AaveMarket.Builder aave =
                AaveMarket.newBuilder()
                        .setPool(contracts.pool().hex())
                        .setAddressesProvider(contracts.addressesProvider().hex())
                        .setPoolConfigurator(contracts.configurator().hex())
                        .setOracle(contracts.oracle().hex());
        baseCurrency(book, aave);
        for (AaveReserve r : book.reserves().values()) {
            ReserveConfiguration c = r.configuration();
            io.freehold.proto.v1.AaveReserve.Builder reserve =
                    io.freehold.proto.v1.AaveReserve.newBuilder()
                            .setAsset(r.asset().hex())
                            .setAToken(r.aToken().hex())
                            .setVariableDebtToken(r.variableDebtToken().hex())
                            .setDecimals(c.decimals())
                            .setLtvBps(c.ltv())
                            .setLiquidationThresholdBps(c.liquidationThreshold())
                            .setLiquidationBonusBps(c.liquidationBonus())
                            .setBorrowingEnabled(
                                    c.flag(ReserveConfiguration.Field.BORROWING_ENABLED))
                            .setActive(c.flag(ReserveConfiguration.Field.ACTIVE))
                            .setFrozen(c.flag(ReserveConfiguration.Field.FROZEN))
                            .setPaused(c.flag(ReserveConfiguration.Field.PAUSED))
                            .setEModeCategory(c.eModeCategory())
                            .setConfiguration(c.data().toString())
                            .setNormalizedIncome(r.normalizedIncome(t).toString())
                            .setNormalizedVariableDebt(r.normalizedDebt(t).toString())
                            .setLiquidityRate(r.liquidityRate().toString())
                            .setVariableBorrowRate(r.variableBorrowRate().toString())
                            .setLastUpdateTimestamp(r.lastUpdateTimestamp());
            try {
                reserve.setPrice(book.price(r.asset()).toString());
            } catch (RuntimeException noPriceYet) {
                // No source or no answer seen: left empty (the account figures refuse the same).
            }
            aave.addReserves(reserve);
        }
        int[] bands = new int[3];
        for (Address account : book.accounts()) {
            if (borrows(book, account)) {
                bands[band(applied.accountData(account).healthFactor()).ordinal()]++;
            }
        }
        return Market.newBuilder()
                .setMarketId(marketId(contracts.pool()).hex())
                .setOracle(contracts.oracle().hex())
                .setProtocol(Protocol.AAVE_V3.value())
                .setAave(aave)
                .setPositionsHealthy(bands[HealthBand.HEALTHY.ordinal()])
                .setPositionsWarning(bands[HealthBand.WARNING.ordinal()])
                .setPositionsLiquidatable(bands[HealthBand.LIQUIDATABLE.ordinal()])
                .setAsOf(cursor(applied))
                .setAsOfTimestamp(t)
                .build();
    }

    /** The base currency is the asset whose price is the unit: read from the book's oracle. */
    private static void baseCurrency(AaveBook book, AaveMarket.Builder aave) {
        book.baseCurrency()
                .ifPresent(
                        base ->
                                aave.setBaseCurrency(base.currency().hex())
                                        .setBaseCurrencyUnit(base.unit().toString()));
    }

    private Position position(AppliedAaveBook applied, Address account) {
        return position(applied, account, applied.accountData(account));
    }

    Position position(AppliedAaveBook applied, Address account, AccountData data) {
        AaveBook book = applied.book();
        long t = applied.block().timestamp();
        AaveAccount.Builder aave =
                AaveAccount.newBuilder()
                        .setTotalCollateralBase(data.totalCollateralBase().toString())
                        .setTotalDebtBase(data.totalDebtBase().toString())
                        .setAvailableBorrowsBase(data.availableBorrowsBase().toString())
                        .setCurrentLiquidationThreshold(
                                data.currentLiquidationThreshold().toString())
                        .setLtv(data.ltv().toString())
                        .setHealthFactor(data.healthFactor().toString())
                        .setEModeCategory(book.eModeOf(account));
        for (Map.Entry<Address, AaveUserReserve> e : book.positions(account).entrySet()) {
            AaveUserReserve p = e.getValue();
            AaveReserve reserve = book.reserveOf(e.getKey());
            aave.addReserves(
                    AaveAccountReserve.newBuilder()
                            .setAsset(e.getKey().hex())
                            .setScaledATokenBalance(p.scaledATokenBalance().toString())
                            .setATokenBalance(
                                    RayMath.rayMul(
                                                    p.scaledATokenBalance(),
                                                    reserve.normalizedIncome(t))
                                            .toString())
                            .setScaledVariableDebt(p.scaledVariableDebt().toString())
                            .setVariableDebt(
                                    RayMath.rayMul(
                                                    p.scaledVariableDebt(),
                                                    reserve.normalizedDebt(t))
                                            .toString())
                            .setCollateral(p.collateral())
                            .setBorrowing(p.borrowing()));
        }
        return Position.newBuilder()
                .setMarketId(marketId(following.follower().market().pool()).hex())
                .setAccount(account.hex())
                .setHealthFactor(data.healthFactor().toString())
                .setBand(
                        io.freehold.proto.v1.HealthBand.valueOf(
                                "HEALTH_BAND_" + band(data.healthFactor()).name()))
                .setProtocol(Protocol.AAVE_V3.value())
                .setAave(aave)
                .setAsOf(cursor(applied))
                .setAsOfTimestamp(t)
                .build();
    }

    private HealthBand band(BigInteger healthFactor) {
        return HealthBand.of(healthFactor, warningHealthFactor);
    }
}
