package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.sdk.AaveAccount;
import io.freehold.sdk.AaveLiquidationCall;
import io.freehold.sdk.AaveMarket;
import io.freehold.sdk.BasisPoints;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.HealthFactor;
import io.freehold.sdk.Market;
import io.freehold.sdk.Opportunity;
import io.freehold.sdk.OpportunityEvent;
import io.freehold.sdk.OpportunityQuery;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionEvent;
import io.freehold.sdk.PositionQuery;
import io.freehold.sdk.Protocol;
import io.freehold.sdk.Simulation;
import io.freehold.sdk.SimulationResult;
import io.freehold.sdk.Wad;
import io.freehold.sdk.Watch;
import io.freehold.types.Address;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an SDK user sees of a node following the real local Aave market: {@link FreeholdClient}'s
 * markets, positions and opportunities read as Aave types, and every figure is the pool's own view
 * at the block the answer names, to the wei (getUserAccountData, scaledBalanceOf and balanceOf,
 * getAssetPrice, getReserveNormalizedIncome/VariableDebt).
 */
class AaveSdkTest {

    @TempDir Path dir;

    @Test
    void theSdkReadsAnAavePoolWithThePoolsFigures() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter onProperty = chain.account(2);
            ChainWriter mixed = chain.account(3);
            ChainWriter saver = chain.account(4);
            for (ChainWriter who : List.of(lender, onProperty, mixed, saver)) {
                chain.fund(who);
            }
            chain.openLoan(lender, 10_000_000, onProperty, 1_000, 97);
            chain.supply(
                    mixed, chain.property(), AaveChain.TOKEN.multiply(BigInteger.valueOf(500)));
            chain.supply(mixed, chain.usd(), AaveChain.USDC.multiply(BigInteger.valueOf(5_000)));
            chain.borrowShare(mixed, 50);
            chain.supply(saver, chain.usd(), AaveChain.USDC.multiply(BigInteger.valueOf(2_000)));
            chain.passTime(30 * 24 * 3_600); // indexes away from one

            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props(chain));
            try (FreeholdClient client = client(server)) {
                awaitApplied(client, chain.head());
                assertThat(client.status().protocol()).isEqualTo(Protocol.AAVE_V3);

                // The market: the pool and its reserves, each figure the pool's at as_of.
                List<Market> markets = client.markets();
                assertThat(markets).hasSize(1);
                Market market = markets.get(0);
                assertThat(market.protocol()).isEqualTo(Protocol.AAVE_V3);
                assertThat(market.collateralToken()).isNull();
                long block = market.asOf().blockNumber();
                AaveMarket pool = market.aave().orElseThrow();
                assertThat(pool.pool()).isEqualTo(Address.of(chain.market.pool()));
                assertThat(pool.baseCurrencyUnit()).contains(AaveLocalMarket.BASE_CURRENCY_UNIT);
                AaveMarket.Reserve realt = pool.reserve(Address.of(chain.property())).orElseThrow();
                assertThat(realt.ltv()).isEqualTo(new BasisPoints(AaveLocalMarket.PROPERTY_LTV));
                assertThat(realt.liquidationThreshold())
                        .isEqualTo(new BasisPoints(AaveLocalMarket.PROPERTY_LIQUIDATION_THRESHOLD));
                assertThat(realt.liquidationBonus())
                        .isEqualTo(new BasisPoints(AaveLocalMarket.PROPERTY_LIQUIDATION_BONUS));
                assertThat(realt.liquidationThreshold().toWad()).isEqualTo(Wad.parse("0.75"));
                assertThat(realt.borrowingEnabled()).isFalse();
                assertThat(realt.decimals()).isEqualTo(18);
                for (AaveMarket.Reserve r : pool.reserves()) {
                    String asset = r.asset().hex();
                    assertThat(r.price())
                            .contains(
                                    chain.uintCall(
                                            chain.market.oracle(), "getAssetPrice", asset, block));
                    assertThat(r.normalizedIncome())
                            .isEqualTo(
                                    chain.uintCall(
                                            chain.market.pool(),
                                            "getReserveNormalizedIncome",
                                            asset,
                                            block));
                    assertThat(r.normalizedVariableDebt())
                            .isEqualTo(
                                    chain.uintCall(
                                            chain.market.pool(),
                                            "getReserveNormalizedVariableDebt",
                                            asset,
                                            block));
                }
                assertThat(market.positionsHealthy() + market.positionsWarning()).isEqualTo(2);

                // Every account, borrower or not: getUserAccountData's six figures and the
                // reserves' balances, to the wei, at the block the position names.
                for (ChainWriter who : List.of(lender, onProperty, mixed, saver)) {
                    Position p = client.position(market.marketId(), Address.of(who.address()));
                    assertThatPositionIsThePools(chain, pool, p);
                }
                Position withTwoCollaterals =
                        client.position(market.marketId(), Address.of(mixed.address()));
                assertThat(withTwoCollaterals.aave().orElseThrow().reserves())
                        .filteredOn(AaveAccount.Reserve::collateral)
                        .hasSize(2);
                assertThat(client.position(market.marketId(), Address.of(saver.address())))
                        .satisfies(
                                p -> assertThat(p.healthFactor()).isEqualTo(HealthFactor.NO_DEBT));

                // The listing: the accounts with debt.
                try (Stream<Position> listed = client.positions(PositionQuery.all())) {
                    assertThat(listed.map(Position::account).toList())
                            .containsExactlyInAnyOrder(
                                    Address.of(onProperty.address()), Address.of(mixed.address()));
                }

                // The same fall simulated first (docs/AAVE.md): Simulation.aavePrice, on the
                // node's book at its applied block; the 1,000 property tokens (index one: nobody
                // borrows them) are worth 1,000 times the new price, the debt is unchanged.
                BigInteger fallen =
                        AaveLocalMarket.PROPERTY_PRICE
                                .multiply(BigInteger.valueOf(7))
                                .divide(BigInteger.TEN);
                SimulationResult simulated =
                        client.simulate(
                                Simulation.aavePrice(
                                        market.marketId(),
                                        Address.of(onProperty.address()),
                                        Address.of(chain.property()),
                                        fallen));
                assertThat(simulated.before())
                        .isEqualTo(
                                client.position(
                                        market.marketId(), Address.of(onProperty.address())));
                AaveAccount before = simulated.before().aave().orElseThrow();
                AaveAccount after = simulated.after().aave().orElseThrow();
                assertThat(after.totalCollateralBase())
                        .isEqualTo(fallen.multiply(BigInteger.valueOf(1_000)));
                assertThat(after.totalDebtBase()).isEqualTo(before.totalDebtBase());
                assertThat(after.healthFactor().isLiquidatable()).isTrue();
                assertThat(before.healthFactor().isLiquidatable()).isFalse();

                // The property falls 30 %: the borrower on property alone is an opportunity, sized
                // as a liquidationCall of the stablecoin against the property.
                try (Watch<OpportunityEvent> watch =
                        client.liquidations().watchOpportunities(OpportunityQuery.liquidatable())) {
                    awaitInSync(watch);
                    chain.setPropertyPrice(
                            AaveLocalMarket.PROPERTY_PRICE
                                    .multiply(BigInteger.valueOf(7))
                                    .divide(BigInteger.TEN));
                    Opportunity o = nextOpportunity(watch, Address.of(onProperty.address()));
                    assertThat(o.liquidatable()).isTrue();
                    assertThat(o.position().protocol()).isEqualTo(Protocol.AAVE_V3);
                    assertThatPositionIsThePools(chain, pool, o.position());
                    AaveLiquidationCall call = o.aave().orElseThrow();
                    assertThat(call.collateralAsset()).isEqualTo(Address.of(chain.property()));
                    assertThat(call.debtAsset()).isEqualTo(Address.of(chain.usd()));
                    assertThat(call.closeFactor()).isEqualTo(BasisPoints.ONE); // health < 0.95
                    assertThat(call.protocolFee()).isZero(); // the local market charges none
                    // Below 0.95 the whole debt may be repaid: max_repay is the account's debt
                    // unless the collateral runs out first.
                    BigInteger debt =
                            o.position()
                                    .aave()
                                    .orElseThrow()
                                    .reserve(Address.of(chain.usd()))
                                    .orElseThrow()
                                    .variableDebt();
                    assertThat(o.maxRepay()).isPositive().isLessThanOrEqualTo(debt);
                    assertThat(o.seizedCollateral()).isPositive();
                    assertThat(o.expectedIncentive()).isPositive();
                }
            } finally {
                server.getApplicationContext().close();
            }
        }
    }

    @Test
    void watchPositionsDeliversTheAccountsAndTheirUpdatesWithThePoolsFigures() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            for (ChainWriter who : List.of(lender, borrower)) {
                chain.fund(who);
            }
            chain.openLoan(lender, 10_000_000, borrower, 1_000, 50);

            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props(chain));
            try (FreeholdClient client = client(server)) {
                awaitApplied(client, chain.head());
                AaveMarket pool = client.markets().get(0).aave().orElseThrow();
                try (Watch<PositionEvent> watch = client.watchPositions(PositionQuery.all())) {
                    // The snapshot: both accounts, each as position() reads it.
                    List<Position> snapshot = new java.util.ArrayList<>();
                    PositionEvent e;
                    while (!((e = nextPosition(watch, x -> true))
                            instanceof PositionEvent.InSync)) {
                        if (e instanceof PositionEvent.Snapshot s) {
                            snapshot.add(s.position());
                        }
                    }
                    assertThat(snapshot)
                            .extracting(Position::account)
                            .contains(Address.of(lender.address()), Address.of(borrower.address()));
                    for (Position p : snapshot) {
                        assertThat(p).isEqualTo(client.position(p.marketId(), p.account()));
                        assertThatPositionIsThePools(chain, pool, p);
                    }

                    // A borrow: the borrower's update, with the pool's figures at its block.
                    chain.borrow(borrower, AaveChain.USDC.multiply(BigInteger.valueOf(1_000)));
                    long borrowed = chain.head();
                    PositionEvent.Updated updated =
                            (PositionEvent.Updated)
                                    nextPosition(
                                            watch,
                                            x ->
                                                    x instanceof PositionEvent.Updated u
                                                            && u.position()
                                                                    .account()
                                                                    .equals(
                                                                            Address.of(
                                                                                    borrower
                                                                                            .address())));
                    assertThat(updated.position().asOf().blockNumber()).isEqualTo(borrowed);
                    assertThatPositionIsThePools(chain, pool, updated.position());
                    assertThat(updated.position().aave().orElseThrow().totalDebtBase())
                            .isGreaterThan(
                                    snapshot.stream()
                                            .filter(
                                                    p ->
                                                            p.account()
                                                                    .equals(
                                                                            Address.of(
                                                                                    borrower
                                                                                            .address())))
                                            .findFirst()
                                            .orElseThrow()
                                            .aave()
                                            .orElseThrow()
                                            .totalDebtBase());
                }
            } finally {
                server.getApplicationContext().close();
            }
        }
    }

    /** The next position event matching {@code wanted}, skipping others; fails after a minute. */
    private static PositionEvent nextPosition(
            Watch<PositionEvent> watch, Predicate<PositionEvent> wanted) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < giveUp) {
            var e = watch.poll(Duration.ofMillis(200));
            if (e.isPresent() && wanted.test(e.get())) {
                return e.get();
            }
        }
        throw new AssertionError("no such position event within a minute");
    }

    private static void assertThatPositionIsThePools(AaveChain chain, AaveMarket pool, Position p)
            throws Exception {
        long block = p.asOf().blockNumber();
        assertThat(p.protocol()).isEqualTo(Protocol.AAVE_V3);
        assertThat(p.debt()).as("Freehold-only fields are empty").isNull();
        AaveAccount a = p.aave().orElseThrow();
        assertThat(a.accountData())
                .as(p.account() + " at block " + block)
                .isEqualTo(chain.accountData(p.account().hex(), block));
        assertThat(p.healthFactor()).isEqualTo(a.healthFactor());
        assertThat(a.eModeCategory()).isZero();
        for (AaveAccount.Reserve r : a.reserves()) {
            AaveMarket.Reserve reserve = pool.reserve(r.asset()).orElseThrow();
            String account = p.account().hex();
            String aToken = reserve.aToken().hex();
            String debtToken = reserve.variableDebtToken().hex();
            assertThat(r.scaledATokenBalance())
                    .isEqualTo(chain.uintCall(aToken, "scaledBalanceOf", account, block));
            assertThat(r.aTokenBalance())
                    .isEqualTo(chain.uintCall(aToken, "balanceOf", account, block));
            assertThat(r.scaledVariableDebt())
                    .isEqualTo(chain.uintCall(debtToken, "scaledBalanceOf", account, block));
            assertThat(r.variableDebt())
                    .isEqualTo(chain.uintCall(debtToken, "balanceOf", account, block));
            assertThat(r.borrowing()).isEqualTo(r.scaledVariableDebt().signum() > 0);
        }
    }

    private static FreeholdClient client(EmbeddedServer server) {
        int port = server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
        return FreeholdClient.create(
                FreeholdSettings.builder()
                        .target("127.0.0.1:" + port)
                        .tls(false)
                        .deadline(Duration.ofSeconds(10))
                        .build());
    }

    /** Waits (a minute at most) until the node serves block {@code head}. */
    private static void awaitApplied(FreeholdClient client, long head) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < giveUp && applied(client) < head) {
            Thread.sleep(50);
        }
    }

    private static long applied(FreeholdClient client) {
        try {
            return client.status().appliedBlock();
        } catch (RuntimeException starting) {
            return -1;
        }
    }

    private static void awaitInSync(Watch<OpportunityEvent> watch) {
        if (next(watch, e -> e instanceof OpportunityEvent.InSync) == null) {
            throw new AssertionError("no end of the snapshot within a minute");
        }
    }

    private static Opportunity nextOpportunity(Watch<OpportunityEvent> watch, Address account) {
        OpportunityEvent e =
                next(
                        watch,
                        x ->
                                x instanceof OpportunityEvent.Changed c
                                        && c.opportunity().position().account().equals(account));
        if (e == null) {
            throw new AssertionError("no opportunity for " + account + " within a minute");
        }
        return ((OpportunityEvent.Changed) e).opportunity();
    }

    /** The next event matching {@code wanted}, skipping others; null after a minute without. */
    private static OpportunityEvent next(
            Watch<OpportunityEvent> watch, Predicate<OpportunityEvent> wanted) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < giveUp) {
            var e = watch.poll(Duration.ofMillis(200));
            if (e.isPresent() && wanted.test(e.get())) {
                return e.get();
            }
        }
        return null;
    }

    private Map<String, Object> props(AaveChain chain) {
        Map<String, Object> props = chain.nodeProperties(dir);
        return props;
    }
}
