package io.freehold.node.risk;

import static io.freehold.node.risk.StateBuilder.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Valuation;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.store.ReversibleChange;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine's behaviour case by case, on states made by hand. */
class RiskEngineTest {

    private static final BigInteger USD = BigInteger.TEN.pow(6);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger PRICE =
            BigInteger.valueOf(5_240).multiply(BigInteger.TEN.pow(22)); // $52.40
    private static final Address T1 = address(0x7001);
    private static final Address LENDER = address(0x100);
    private static final Address BORROWER = address(0x200);
    private static final long DAY = 24 * 3600;

    private final StateBuilder chain = new StateBuilder(100, 1_800_000_000L);
    private final RiskEngine engine =
            new RiskEngine(RiskConfiguration.defaults(), StateBuilder.ORACLE);
    private final List<BandCrossing> told = new CopyOnWriteArrayList<>();

    @Test
    void timeAloneCarriesAPositionIntoLiquidation() {
        // 75% utilisation: ~7.6% a year. Health factor 1.005 at the start; interest crosses 1
        // within months.
        MarketId id = chain.market(1, T1, StateBuilder.ORACLE);
        chain.feed(T1, PRICE, chain.timestamp, 365 * DAY);
        BigInteger collateral = TOKEN.multiply(BigInteger.valueOf(400));
        BigInteger maxDebt =
                collateral
                        .multiply(PRICE)
                        .divide(BigInteger.TEN.pow(36))
                        .multiply(BigInteger.valueOf(75))
                        .divide(BigInteger.valueOf(100));
        BigInteger debt =
                maxDebt.multiply(BigInteger.valueOf(1000)).divide(BigInteger.valueOf(1005));
        BigInteger supplied = debt.multiply(BigInteger.valueOf(4)).divide(BigInteger.valueOf(3));
        chain.totals(
                id,
                new MarketState(
                        supplied,
                        supplied.multiply(USD),
                        debt,
                        debt.multiply(USD),
                        collateral,
                        chain.timestamp));
        chain.position(id, LENDER, supplied.multiply(USD), BigInteger.ZERO, BigInteger.ZERO);
        chain.position(id, BORROWER, BigInteger.ZERO, debt.multiply(USD), collateral);
        engine.addListener(told::addAll);
        apply(chain.state());
        assertThat(engine.risk(id, BORROWER).orElseThrow().band()).isEqualTo(HealthBand.WARNING);

        HealthBand band = HealthBand.WARNING;
        int days = 0;
        while (band != HealthBand.LIQUIDATABLE) {
            assertThat(days++).as("interest should have done it within a year").isLessThan(365);
            chain.next(DAY); // nothing happens on chain but time
            told.clear();
            ChainState state = chain.state();
            apply(state);
            PositionValuation expected = valuation(state, id, BORROWER);
            HealthBand now =
                    HealthBand.of(
                            expected.healthFactor(),
                            RiskConfiguration.defaults().warningHealthFactorWad());
            if (now == band) {
                assertThat(told).isEmpty();
                assertThat(engine.liquidatable()).isEmpty();
            } else {
                assertThat(told)
                        .singleElement()
                        .satisfies(
                                c -> {
                                    assertThat(c.from()).isEqualTo(HealthBand.WARNING);
                                    assertThat(c.to()).isEqualTo(HealthBand.LIQUIDATABLE);
                                    assertThat(c.position().valuation()).isEqualTo(expected);
                                    assertThat(c.position().asOf().timestamp())
                                            .isEqualTo(chain.timestamp);
                                });
                assertThat(engine.liquidatable())
                        .extracting(PositionRisk::account)
                        .containsExactly(BORROWER);
                band = now;
            }
            assertThat(engine.risk(id, BORROWER).orElseThrow().valuation()).isEqualTo(expected);
        }
        assertThat(engine.market(id).orElseThrow().borrowers())
                .containsEntry(HealthBand.LIQUIDATABLE, 1)
                .containsEntry(HealthBand.WARNING, 0)
                .containsEntry(HealthBand.HEALTHY, 0);
    }

    @Test
    void flaggedMarketsSayWhyAndTheirPositionsAreNeverLiquidatable() {
        Address t2 = address(0x7002);
        Address t3 = address(0x7003);
        MarketId fine = chain.market(1, T1, StateBuilder.ORACLE);
        MarketId noPrice = chain.market(2, t2, StateBuilder.ORACLE);
        MarketId foreign = chain.market(3, t3, address(0xBAD));
        chain.feed(T1, PRICE, chain.timestamp, 30 * DAY);
        chain.feed(t3, PRICE, chain.timestamp, 30 * DAY);
        for (MarketId id : List.of(fine, noPrice, foreign)) {
            underwater(id);
        }
        apply(chain.state());

        assertThat(engine.liquidatable()).extracting(PositionRisk::marketId).containsExactly(fine);
        assertThat(engine.market(fine).orElseThrow().flags()).isEmpty();
        MarketRisk none = engine.market(noPrice).orElseThrow();
        assertThat(none.flags()).containsOnlyKeys(MarketFlag.NO_PRICE);
        assertThat(none.stale()).as("the oracle calls a missing price stale").isTrue();
        assertThat(none.flags().get(MarketFlag.NO_PRICE)).contains(t2.hex());
        MarketRisk other = engine.market(foreign).orElseThrow();
        assertThat(other.flags()).containsOnlyKeys(MarketFlag.ORACLE_NOT_FOLLOWED);
        assertThat(other.flags().get(MarketFlag.ORACLE_NOT_FOLLOWED))
                .contains("0x0000000000000000000000000000000000000bad")
                .contains(StateBuilder.ORACLE.hex());
        assertThat(engine.risk(foreign, BORROWER).orElseThrow().band())
                .isEqualTo(HealthBand.LIQUIDATABLE);
        assertThat(engine.risk(foreign, BORROWER).orElseThrow().liquidatable()).isFalse();

        // Paused and stale at once: both said; both cleared, liquidatable again.
        chain.paused(T1, true);
        chain.next(30 * DAY + 1);
        apply(chain.state());
        assertThat(engine.market(fine).orElseThrow().flags())
                .containsOnlyKeys(MarketFlag.TOKEN_PAUSED, MarketFlag.PRICE_STALE);
        assertThat(engine.liquidatable()).isEmpty();
        chain.paused(T1, false);
        chain.feed(T1, PRICE, chain.timestamp, 30 * DAY);
        chain.next(1);
        apply(chain.state());
        assertThat(engine.market(fine).orElseThrow().flags()).isEmpty();
        assertThat(engine.liquidatable()).extracting(PositionRisk::marketId).containsExactly(fine);
    }

    @Test
    void unconfirmedSinceIsTheNewestUnconfirmedBlockTheNumbersRestOn() {
        MarketId id = chain.market(1, T1, StateBuilder.ORACLE);
        chain.feed(T1, PRICE, chain.timestamp, 30 * DAY);
        underwater(id);
        ChainState state =
                chain.state(
                        List.of(
                                new ReversibleChange(
                                        "position", List.of(id.hex(), BORROWER.hex()), 97),
                                new ReversibleChange("market", List.of(id.hex()), 95),
                                new ReversibleChange("price_feed", List.of(T1.hex()), 99)));
        engine.reset(state);
        chain.mine(); // the reset took the block's changes
        assertThat(engine.risk(id, BORROWER).orElseThrow().unconfirmedSince())
                .isEqualTo(OptionalLong.of(99));
        assertThat(engine.risk(id, LENDER).orElseThrow().unconfirmedSince())
                .isEqualTo(OptionalLong.of(99));
        assertThat(engine.market(id).orElseThrow().unconfirmedSince())
                .isEqualTo(OptionalLong.of(99));

        // The feed's block is final now; the position's is not.
        chain.next(1);
        engine.applied(
                chain.mine(),
                chain.state(
                        List.of(
                                new ReversibleChange(
                                        "position", List.of(id.hex(), BORROWER.hex()), 97))));
        assertThat(engine.risk(id, BORROWER).orElseThrow().unconfirmedSince())
                .isEqualTo(OptionalLong.of(97));
        assertThat(engine.risk(id, LENDER).orElseThrow().unconfirmedSince()).isEmpty();
        assertThat(engine.market(id).orElseThrow().unconfirmedSince()).isEmpty();

        // All final: nothing unconfirmed, though the position itself did not change.
        chain.next(1);
        apply(chain.state());
        assertThat(engine.risk(id, BORROWER).orElseThrow().unconfirmedSince()).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthersNorTheEngine() {
        MarketId id = chain.market(1, T1, StateBuilder.ORACLE);
        chain.feed(T1, PRICE, chain.timestamp, 30 * DAY);
        underwater(id);
        engine.addListener(
                c -> {
                    throw new IllegalStateException("a broken subscriber");
                });
        engine.addListener(told::addAll);
        apply(chain.state());
        assertThat(told)
                .singleElement()
                .extracting(BandCrossing::to)
                .isEqualTo(HealthBand.LIQUIDATABLE);
        assertThat(engine.liquidatable()).hasSize(1);
        assertThat(engine.risk(id, address(0x999))).isEmpty();
        assertThat(engine.risk(StateBuilder.marketId(42), BORROWER)).isEmpty();
        assertThat(engine.positions(id))
                .extracting(PositionRisk::account)
                .containsExactly(LENDER, BORROWER);
    }

    @Test
    void readersNeverSeeHalfAStep() throws Exception {
        // Each block halves the collateral and doubles the price: the value never changes, so a
        // reader
        // that saw one block's position with another block's price would see a different value.
        MarketId id = chain.market(1, T1, StateBuilder.ORACLE);
        BigInteger collateral = BigInteger.valueOf(3).shiftLeft(100);
        BigInteger price = BigInteger.TEN.pow(40);
        chain.feed(T1, price, chain.timestamp, 30 * DAY);
        chain.position(id, BORROWER, BigInteger.ZERO, USD, collateral);
        apply(chain.state());
        BigInteger value = engine.risk(id, BORROWER).orElseThrow().collateralValue();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> seen = new AtomicReference<>();
        Thread reader =
                new Thread(
                        () -> {
                            while (!done.get() && seen.get() == null) {
                                BigInteger v =
                                        engine.risk(id, BORROWER).orElseThrow().collateralValue();
                                MarketRisk m = engine.market(id).orElseThrow();
                                if (!v.equals(value)) {
                                    seen.set(
                                            "value "
                                                    + v
                                                    + " instead of "
                                                    + value
                                                    + " (market at block "
                                                    + m.asOf().number()
                                                    + ")");
                                }
                            }
                        });
        reader.start();
        try {
            for (int i = 0; i < 100; i++) {
                collateral = collateral.shiftRight(1);
                price = price.shiftLeft(1);
                chain.position(id, BORROWER, BigInteger.ZERO, USD, collateral);
                chain.feed(T1, price, chain.timestamp, 30 * DAY);
                chain.next(1);
                apply(chain.state());
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(seen.get()).isNull();
        assertThat(engine.risk(id, BORROWER).orElseThrow().collateralValue()).isEqualTo(value);
    }

    /**
     * A lender, and a borrower whose debt is above what 400 tokens at $52.40 allow at lltv 0.75.
     */
    private void underwater(MarketId id) {
        BigInteger collateral = TOKEN.multiply(BigInteger.valueOf(400));
        BigInteger debt = USD.multiply(BigInteger.valueOf(16_000)); // max debt is 15,720
        BigInteger supplied = USD.multiply(BigInteger.valueOf(100_000));
        chain.totals(
                id,
                new MarketState(
                        supplied,
                        supplied.multiply(USD),
                        debt,
                        debt.multiply(USD),
                        collateral,
                        chain.timestamp));
        chain.position(id, LENDER, supplied.multiply(USD), BigInteger.ZERO, BigInteger.ZERO);
        chain.position(id, BORROWER, BigInteger.ZERO, debt.multiply(USD), collateral);
    }

    private void apply(ChainState state) {
        engine.applied(chain.mine(), state);
    }

    private static PositionValuation valuation(ChainState state, MarketId id, Address account) {
        MarketRecord m = state.market(id).orElseThrow();
        long now = state.checkpoint().orElseThrow().timestamp();
        return Valuation.of(
                m.params(),
                ContractMath.accruedTo(m, now),
                state.position(id, account).orElseThrow().state(),
                state.priceFeed(m.params().collateralToken()).orElseThrow().price());
    }
}
