package io.freehold.node.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Valuation;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.ingest.Follower;
import io.freehold.node.ingest.ProtocolActivity;
import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The risk engine fed by a real follower over random protocol activity on anvil: every account's
 * position equals the pool's {@code position} view and {@code isLiquidatable} at the applied block,
 * to the wei; a forced appraisal at exactly a position's liquidation price leaves it healthy and
 * one base unit below makes it liquidatable, each step telling exactly the band crossings a full
 * recomputation finds; a paused token or a stale appraisal flags the market, keeps its positions
 * out of {@code liquidatable()} (the pool refuses them too) and says why.
 */
class RiskEngineChainTest {

    private static final BigInteger WAD = BigInteger.TEN.pow(18);

    @TempDir Path dir;

    private Anvil anvil;
    private ChainRpc rpc;
    private TestDatabase database;
    private Follower follower;
    private ProtocolActivity activity;
    private RiskEngine engine;
    private final List<BandCrossing> told = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (follower != null) {
            follower.close();
        }
        if (rpc != null) {
            rpc.close();
        }
        if (database != null) {
            database.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void everyPositionEqualsThePoolsViewsAndAPriceDropTellsExactlyTheBandCrossings()
            throws Exception {
        start(20_260_403L, 150);
        assertMatchesChain();

        // Fresh, unpaused markets, so that what follows is about prices alone.
        for (Deployment.MarketEntry m : activity.deployment.markets().values()) {
            PropertyToken token =
                    PropertyToken.load(m.propertyToken(), anvil.web3j(), admin(), LocalSystem.GAS);
            if (token.paused().send()) {
                token.unpause().send();
            }
            force(m.propertyToken(), oracle().latestPrice(m.propertyToken()).send().component1());
        }
        step();
        assertThat(engine.markets()).noneMatch(MarketRisk::flagged);
        assertMatchesChain();

        // The borrower closest to liquidation, valued one second ahead: exactly at its liquidation
        // price it
        // is healthy (barely), one base unit below it is liquidatable.
        ChainState state = follower.state();
        Target target = closestToLiquidation(state);
        long now = state.checkpoint().orElseThrow().timestamp();
        BigInteger atBoundary = target.liquidationPriceAt(state, now + 1);
        nextBlockTimestamp(now + 1);
        force(target.token(), atBoundary);
        assertCrossingsOfOneBlock();
        PositionRisk risk = engine.risk(target.market(), target.account()).orElseThrow();
        assertThat(risk.price()).isEqualTo(atBoundary).isEqualTo(risk.liquidationPrice());
        assertThat(risk.healthFactor()).isGreaterThanOrEqualTo(WAD);
        assertThat(risk.band()).isNotEqualTo(HealthBand.LIQUIDATABLE);
        assertMatchesChain();

        BigInteger below =
                target.liquidationPriceAt(follower.state(), now + 2).subtract(BigInteger.ONE);
        nextBlockTimestamp(now + 2);
        force(target.token(), below);
        assertCrossingsOfOneBlock();
        risk = engine.risk(target.market(), target.account()).orElseThrow();
        assertThat(risk.band()).isEqualTo(HealthBand.LIQUIDATABLE);
        assertThat(risk.liquidatable()).isTrue();
        assertThat(engine.liquidatable())
                .extracting(PositionRisk::account)
                .contains(target.account());
        assertThat(told).extracting(c -> c.position().account()).contains(target.account());
        assertMatchesChain();

        // A crash on every market, as the loud path allows: a 40% drop.
        for (Deployment.MarketEntry m : activity.deployment.markets().values()) {
            BigInteger price = oracle().latestPrice(m.propertyToken()).send().component1();
            force(
                    m.propertyToken(),
                    price.multiply(BigInteger.valueOf(60)).divide(BigInteger.valueOf(100)));
            assertCrossingsOfOneBlock();
            assertMatchesChain();
        }
        assertThat(engine.liquidatable()).isNotEmpty();
    }

    @Test
    void aPausedTokenOrAStaleAppraisalFlagsTheMarketAndKeepsItsPositionsOutOfLiquidatable()
            throws Exception {
        start(
                20_260_404L,
                0); // the local system: the borrower owes 12,000 mUSD against 400 FH-DET-0412
        Deployment.MarketEntry market = activity.deployment.market("FH-DET-0412");
        MarketId id = MarketId.of(market.id());
        Address token = Address.of(market.propertyToken());
        Address borrower = Address.of(activity.deployment.accounts().borrower());
        BigInteger price = oracle().latestPrice(market.propertyToken()).send().component1();
        force(
                market.propertyToken(),
                price.multiply(BigInteger.valueOf(60)).divide(BigInteger.valueOf(100)));
        step();
        assertThat(engine.liquidatable())
                .extracting(PositionRisk::account)
                .containsExactly(borrower);
        assertThat(engine.market(id).orElseThrow().flagged()).isFalse();
        assertMatchesChain();

        PropertyToken asAgent =
                PropertyToken.load(market.propertyToken(), anvil.web3j(), admin(), LocalSystem.GAS);
        asAgent.pause().send();
        step();
        MarketRisk paused = engine.market(id).orElseThrow();
        assertThat(paused.paused()).isTrue();
        assertThat(paused.flags()).containsOnlyKeys(MarketFlag.TOKEN_PAUSED);
        assertThat(paused.flags().get(MarketFlag.TOKEN_PAUSED))
                .contains(token.hex())
                .contains("paused");
        assertThat(engine.markets())
                .filteredOn(m -> m.marketId().equals(id))
                .singleElement()
                .extracting(MarketRisk::flagged)
                .isEqualTo(true);
        PositionRisk risk = engine.risk(id, borrower).orElseThrow();
        assertThat(risk.band())
                .as("still unhealthy, as the numbers say")
                .isEqualTo(HealthBand.LIQUIDATABLE);
        assertThat(risk.marketFlags()).containsExactly(MarketFlag.TOKEN_PAUSED);
        assertThat(risk.liquidatable()).isFalse();
        assertThat(engine.liquidatable()).isEmpty();
        assertMatchesChain();

        asAgent.unpause().send();
        step();
        assertThat(engine.liquidatable())
                .extracting(PositionRisk::account)
                .containsExactly(borrower);
        assertMatchesChain();

        // Staleness to the second: at exactly maxAge the appraisal is fresh, one second later it is
        // stale.
        PriceFeedRecord feed = follower.state().priceFeed(token).orElseThrow();
        long maxAge = feed.maxAge().longValueExact();
        nextBlockTimestamp(feed.updatedAt() + maxAge);
        activity.mine();
        step();
        MarketRisk fresh = engine.market(id).orElseThrow();
        assertThat(fresh.stale()).isFalse();
        assertThat(fresh.appraisalAgeSeconds()).isEqualTo(maxAge);
        assertThat(engine.liquidatable())
                .extracting(PositionRisk::account)
                .containsExactly(borrower);
        assertMatchesChain();

        nextBlockTimestamp(feed.updatedAt() + maxAge + 1);
        activity.mine();
        step();
        MarketRisk stale = engine.market(id).orElseThrow();
        assertThat(stale.stale()).isTrue();
        assertThat(stale.appraisalAgeSeconds()).isEqualTo(maxAge + 1);
        assertThat(stale.flags()).containsOnlyKeys(MarketFlag.PRICE_STALE);
        assertThat(stale.flags().get(MarketFlag.PRICE_STALE))
                .contains(token.hex())
                .contains("max age");
        assertThat(engine.risk(id, borrower).orElseThrow().liquidatable()).isFalse();
        assertThat(engine.liquidatable()).isEmpty();
        assertThat(engine.markets()).allMatch(MarketRisk::stale);
        assertMatchesChain();
    }

    // ---- helpers
    // --------------------------------------------------------------------------------------

    private void start(long seed, int steps) throws Exception {
        anvil = Anvil.builder().accounts(10).start();
        activity = ProtocolActivity.deploy(anvil, seed);
        activity.run(steps);
        database = TestDatabase.h2(dir);
        rpc = new ChainRpc(RpcConfiguration.builder(List.of(anvil.rpcUrl())).build());
        Path file = dir.resolve("deployment.json");
        activity.deployment.write(file);
        NodeConfiguration config =
                NodeConfiguration.of(anvil.chainId(), file.toString()).withConfirmations(16);
        follower =
                new Follower(rpc, database.open(), ContractAddresses.resolve(config), config, 50);
        engine =
                new RiskEngine(
                        RiskConfiguration.defaults(), Address.of(activity.deployment.oracle()));
        engine.addListener(told::addAll);
        follower.addListener(engine);
        follower.syncToHead();
    }

    private void step() {
        told.clear();
        follower.syncToHead();
    }

    /**
     * Applies the one new block and checks the crossings told against bands recomputed from
     * scratch.
     */
    private void assertCrossingsOfOneBlock() {
        ChainState before = follower.state();
        Map<String, HealthBand> was = bands(before);
        long block = follower.appliedBlock();
        step();
        assertThat(follower.appliedBlock()).isEqualTo(block + 1);
        Map<String, HealthBand> is = bands(follower.state());
        Set<String> expected = new TreeSet<>();
        Set<String> keys = new HashSet<>(was.keySet());
        keys.addAll(is.keySet());
        for (String k : keys) {
            HealthBand from = was.getOrDefault(k, HealthBand.HEALTHY);
            HealthBand to = is.getOrDefault(k, HealthBand.HEALTHY);
            if (from != to) {
                expected.add(k + " " + from + "->" + to);
            }
        }
        Set<String> emitted = new TreeSet<>();
        told.forEach(
                c ->
                        emitted.add(
                                c.position().marketId()
                                        + " "
                                        + c.position().account()
                                        + " "
                                        + c.from()
                                        + "->"
                                        + c.to()));
        assertThat(emitted).as("band crossings of block " + (block + 1)).isEqualTo(expected);
    }

    /**
     * Every position's band, valued afresh with the contract's math (not the engine's bookkeeping).
     */
    private static Map<String, HealthBand> bands(ChainState state) {
        long now = state.checkpoint().orElseThrow().timestamp();
        BigInteger warning = RiskConfiguration.defaults().warningHealthFactorWad();
        Map<String, HealthBand> bands = new HashMap<>();
        for (MarketRecord m : state.markets()) {
            BigInteger price = state.priceFeed(m.params().collateralToken()).orElseThrow().price();
            for (PositionRecord p : state.positions(m.id())) {
                PositionValuation v =
                        Valuation.of(m.params(), ContractMath.accruedTo(m, now), p.state(), price);
                bands.put(m.id() + " " + p.account(), HealthBand.of(v.healthFactor(), warning));
            }
        }
        return bands;
    }

    private void assertMatchesChain() throws Exception {
        assertThat(engine.asOf().orElseThrow().number()).isEqualTo(follower.appliedBlock());
        RiskComparison c =
                RiskComparison.compare(anvil, activity.deployment, activity.accounts(), engine);
        assertThat(c.differences()).as("engine vs chain (" + activity.summary() + ")").isEmpty();
        assertThat(c.compared()).as("values compared").isGreaterThan(100);
    }

    /** A borrower with collateral, and how to value its liquidation price ahead of time. */
    private record Target(MarketId market, Address account, String token) {

        BigInteger liquidationPriceAt(ChainState state, long timestamp) {
            MarketRecord m = state.market(market).orElseThrow();
            PositionRecord p = state.position(market, account).orElseThrow();
            BigInteger price = state.priceFeed(m.params().collateralToken()).orElseThrow().price();
            return Valuation.of(m.params(), ContractMath.accruedTo(m, timestamp), p.state(), price)
                    .liquidationPrice();
        }
    }

    /** The borrower with the highest liquidation price relative to its market's price. */
    private static Target closestToLiquidation(ChainState state) {
        Target best = null;
        double bestRatio = -1;
        long now = state.checkpoint().orElseThrow().timestamp();
        for (MarketRecord m : state.markets()) {
            BigInteger price = state.priceFeed(m.params().collateralToken()).orElseThrow().price();
            for (PositionRecord p : state.positions(m.id())) {
                if (p.borrowShares().signum() == 0 || p.collateral().signum() == 0) {
                    continue;
                }
                BigInteger lp =
                        Valuation.of(m.params(), ContractMath.accruedTo(m, now), p.state(), price)
                                .liquidationPrice();
                double ratio = lp.doubleValue() / price.doubleValue();
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    best = new Target(m.id(), p.account(), m.params().collateralToken().hex());
                }
            }
        }
        assertThat(best).as("a borrower with collateral after the random activity").isNotNull();
        return best;
    }

    private void force(String token, BigInteger price) throws Exception {
        oracle().forceAppraisal(token, price, "test: a new appraisal").send();
    }

    private AppraisalOracle oracle() {
        return AppraisalOracle.load(
                activity.deployment.oracle(), anvil.web3j(), admin(), LocalSystem.GAS);
    }

    private org.web3j.tx.TransactionManager admin() {
        return anvil.transactionManager(anvil.credentials(0));
    }

    private void nextBlockTimestamp(long timestamp) throws Exception {
        VoidResponse r =
                new Request<>(
                                "evm_setNextBlockTimestamp",
                                List.of(timestamp),
                                new HttpService(anvil.rpcUrl()),
                                VoidResponse.class)
                        .send();
        assertThat(r.hasError()).as("evm_setNextBlockTimestamp " + timestamp).isFalse();
    }
}
