package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.config.ContractAddresses;
import io.freehold.node.config.NodeConfiguration;
import io.freehold.node.ingest.Follower;
import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.LiquidationChain;
import io.freehold.node.liquidation.LiquidationMetrics;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.decide.LiquidateEvents;
import io.freehold.node.liquidation.decide.LiquidationCandidate;
import io.freehold.node.liquidation.decide.SkipReason;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.types.Address;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A price drop makes two positions unhealthy; the node liquidates them (one whole, one half) on a
 * real anvil with the real contracts; afterwards the chain, the liquidator's record and the node's
 * followed state agree to the wei, and the metrics say what happened.
 */
class LiquidationExecutorTest {

    private static LiquidationChain chain;

    @TempDir Path dir;

    private TestDatabase database;
    private LiquidatorRpc rpc;
    private ChainRpc chainRpc;

    @BeforeAll
    static void startChain() throws Exception {
        chain = LiquidationChain.start();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        chain.reset();
        database = TestDatabase.h2(dir);
        database.open();
        rpc = chain.rpc();
    }

    @AfterEach
    void close() {
        if (chainRpc != null) {
            chainRpc.close();
        }
        rpc.close();
        database.close();
    }

    @Test
    void aPriceDropIsLiquidatedAndTheChainTheRecordAndTheNodeAgree() throws Exception {
        LiquidationMetrics metrics = new LiquidationMetrics();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        AttemptStore store = new AttemptStore(database.dataSource());
        LiquidationExecutor executor = executor(store, metrics);
        long nonceBefore = chain.minedNonce(chain.liquidator);

        long crash = chain.crashPrice();
        List<LiquidationCandidate> candidates = chain.liquidatable(crash);
        assertThat(candidates)
                .extracting(LiquidationCandidate::borrower)
                .containsExactly(chain.borrower, chain.secondBorrower);
        Map<Address, LendingPool.Position> before = new HashMap<>();
        for (LiquidationCandidate c : candidates) {
            before.put(c.borrower(), chain.shares(c.borrower()));
        }
        BigInteger debtBefore = chain.view(chain.borrower).debt;

        List<LiquidationExecutor.Decision> decisions = executor.consider(candidates);
        assertThat(decisions)
                .extracting(LiquidationExecutor.Decision::kind)
                .containsOnly(LiquidationExecutor.Decision.Kind.SENT);
        ExecutorHarness.trackUntilSettled(
                executor, store); // automine: both are mined as they arrive

        for (LiquidationCandidate c : candidates) {
            Attempt a = store.latest(c.marketId(), c.borrower()).orElseThrow();
            assertThat(a.status()).as(a.toString()).isEqualTo(AttemptStatus.MINED);
            Attempt.Outcome outcome = a.outcome().orElseThrow();
            // The record is the chain's Liquidate event, and the event is what happened to the
            // position.
            LiquidateEvents.Liquidated event = chain.liquidations(c.borrower()).get(0);
            assertThat(chain.liquidations(c.borrower())).hasSize(1);
            assertThat(event.liquidator().hex()).isEqualTo(chain.liquidator.getAddress());
            assertThat(event.txHash()).isEqualTo(outcome.txHash());
            assertThat(outcome.repaidAssets()).isEqualTo(event.repaidAssets());
            assertThat(outcome.seizedCollateral()).isEqualTo(event.seizedCollateral());
            assertThat(outcome.badDebtAssets()).isZero();
            LendingPool.Position after = chain.shares(c.borrower());
            assertThat(after.collateral)
                    .isEqualTo(
                            before.get(c.borrower())
                                    .collateral
                                    .subtract(outcome.seizedCollateral()));
            assertThat(after.borrowShares)
                    .isEqualTo(
                            before.get(c.borrower()).borrowShares.subtract(event.repaidShares()));
            // Preflight's expectation was the pool's math one block earlier: a little less
            // interest, so
            // usually a little less. But the other liquidation, mined first in the same market,
            // rounds the
            // market's assets-per-share down (it removes shares rounded down for the assets it
            // repays), which
            // can take one base unit off this position's debt: so "at most a unit less", not "never
            // less".
            Attempt.Expected expected = a.expected().orElseThrow();
            assertThat(outcome.repaidAssets().subtract(expected.repaidAssets()))
                    .isGreaterThanOrEqualTo(BigInteger.ONE.negate())
                    .isLessThan(BigInteger.valueOf(1_000));
            assertThat(outcome.profit()).isPositive();
            assertThat(a.transactions()).hasSize(1);
            assertThat(outcome.includedBlock()).isGreaterThan(crash);
        }
        // Health 0.90: the whole debt; health 0.964: half of it, and the rest is healthy again.
        assertThat(chain.shares(chain.borrower).borrowShares).isZero();
        assertThat(
                        store.latest(chain.market, chain.borrower)
                                .orElseThrow()
                                .outcome()
                                .orElseThrow()
                                .repaidAssets())
                .isGreaterThanOrEqualTo(debtBefore);
        LendingPool.PositionView half = chain.view(chain.secondBorrower);
        assertThat(half.debt).isPositive();
        assertThat(half.healthFactor).isGreaterThan(BigInteger.TEN.pow(18));
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonceBefore + 2);

        // The node following the chain (same database) holds exactly what the pool holds.
        Follower follower = follower();
        follower.syncToHead();
        for (LiquidationCandidate c : candidates) {
            PositionRecord node =
                    follower.state().position(c.marketId(), c.borrower()).orElseThrow();
            LendingPool.Position onChain = chain.shares(c.borrower());
            assertThat(node.borrowShares()).isEqualTo(onChain.borrowShares);
            assertThat(node.collateral()).isEqualTo(onChain.collateral);
            assertThat(node.supplyShares()).isEqualTo(onChain.supplyShares);
            assertThat(node.rentIndexPaid()).isEqualTo(onChain.rentIndexPaid);
            assertThat(node.rentAccrued()).isEqualTo(onChain.rentAccrued);
        }
        MarketRecord nodeMarket = follower.state().market(chain.market).orElseThrow();
        LendingPool.Market chainMarket = chain.pool(chain.admin).market(chain.id()).send();
        assertThat(nodeMarket.totals().totalBorrowShares())
                .isEqualTo(chainMarket.totalBorrowShares);
        assertThat(nodeMarket.totals().totalSupplyShares())
                .isEqualTo(chainMarket.totalSupplyShares);
        assertThat(nodeMarket.totals().totalCollateral()).isEqualTo(chainMarket.totalCollateral);
        follower.close();

        // The numbers.
        assertThat(metrics.sentCount()).isEqualTo(2);
        assertThat(metrics.minedCount()).isEqualTo(2);
        assertThat(metrics.failedCount()).isZero();
        assertThat(metrics.realisedProfit())
                .isEqualTo(
                        store.history(chain.market, chain.borrower)
                                .get(0)
                                .outcome()
                                .orElseThrow()
                                .profit()
                                .add(
                                        store.latest(chain.market, chain.secondBorrower)
                                                .orElseThrow()
                                                .outcome()
                                                .orElseThrow()
                                                .profit()));
        assertThat(registry.get("freehold.liquidation.mined").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("freehold.liquidation.inclusion.blocks").summary().count())
                .isEqualTo(2);
        assertThat(registry.get("freehold.liquidation.inclusion.blocks").summary().max())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.get("freehold.liquidation.detection.blocks").summary().count())
                .isEqualTo(2);
        assertThat(registry.get("freehold.liquidation.profit").gauge().value())
                .isEqualTo(new BigDecimal(metrics.realisedProfit()).doubleValue());

        // Asked again: the closed position has no debt, the halved one is healthy: nothing more is
        // sent.
        List<LiquidationExecutor.Decision> again =
                executor.consider(
                        chain.liquidatable(crash).isEmpty()
                                ? candidates
                                : chain.liquidatable(crash));
        assertThat(again)
                .extracting(LiquidationExecutor.Decision::kind)
                .containsOnly(LiquidationExecutor.Decision.Kind.SKIPPED);
        assertThat(again).allSatisfy(d -> assertThat(d.detail()).startsWith("POSITION_HEALTHY"));
        assertThat(chain.minedNonce(chain.liquidator)).isEqualTo(nonceBefore + 2);
        assertThat(metrics.skippedCount(SkipReason.POSITION_HEALTHY)).isEqualTo(2);
    }

    private LiquidationExecutor executor(AttemptStore store, LiquidationMetrics metrics) {
        LiquidatorConfiguration config =
                LiquidatorConfiguration.defaults()
                        .withMode(LiquidatorConfiguration.Mode.EXECUTE)
                        .withFees(
                                LiquidationChain.GWEI,
                                LiquidationChain.GWEI.multiply(BigInteger.valueOf(100)),
                                new BigDecimal("12.5"));
        return new LiquidationExecutor(
                config,
                LiquidatorKey.of(chain.liquidator),
                chain.pool,
                chain.anvil.chainId(),
                rpc,
                store,
                metrics,
                new TestClock(Instant.now()),
                0);
    }

    private Follower follower() {
        chainRpc = new ChainRpc(RpcConfiguration.builder(List.of(chain.anvil.rpcUrl())).build());
        Path file = dir.resolve("deployment.json");
        chain.deployment.write(file);
        NodeConfiguration config =
                NodeConfiguration.of(chain.anvil.chainId(), file.toString()).withConfirmations(4);
        return new Follower(
                chainRpc,
                new io.freehold.node.store.JdbcStateStore(database.dataSource()),
                ContractAddresses.resolve(config),
                config,
                50);
    }
}
