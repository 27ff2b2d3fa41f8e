package io.freehold.node.risk;

import static io.freehold.node.risk.StateBuilder.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Shares;
import io.freehold.contracts.math.Valuation;
import io.freehold.node.ingest.AppliedRange.PositionKey;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The engine block by block against a full recomputation, without a chain: random borrows, repays
 * and collateral moves (with the pool's accrual before each), price moves and crashes, pauses,
 * appraisals going stale, and time from a second to forty days. After every block the bands the
 * engine tracks (its counts, its liquidatable set) equal every position valued afresh with the
 * contract's math, the crossings it emitted are exactly the positions whose band changed, and a
 * reset (to the same state, or to an older one as after a rollback) emits exactly the differences.
 */
class RiskEngineStepTest {

    private static final long SEED = Long.getLong("freehold.risk.seed", 20_260_402L);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger USD = BigInteger.TEN.pow(6);
    private static final Address T1 = address(0x7001);
    private static final Address T2 = address(0x7002);
    private static final long MAX_AGE = 30L * 24 * 3600;

    private final Random random = new Random(SEED);
    private final StateBuilder chain = new StateBuilder(100, 1_800_000_000L);
    private final RiskConfiguration config = RiskConfiguration.defaults();
    private final RiskEngine engine = new RiskEngine(config, StateBuilder.ORACLE);
    private final List<BandCrossing> told = new ArrayList<>();
    private final List<MarketId> markets = new ArrayList<>();
    private int crossingsSeen;

    @Test
    void bandsCountsAndCrossingsEqualAFullRecomputationAfterEveryBlock() {
        engine.addListener(told::addAll);
        markets.add(chain.market(1, T1, StateBuilder.ORACLE));
        markets.add(
                chain.market(2, T1, StateBuilder.ORACLE)); // a second market on the same property
        markets.add(chain.market(3, T2, StateBuilder.ORACLE));
        markets.add(
                chain.market(
                        4, T2, address(0xBAD))); // priced by an oracle the node does not follow
        chain.feed(T1, usdPerToken(52.40), chain.timestamp, MAX_AGE);
        chain.feed(T2, usdPerToken(48.10), chain.timestamp, MAX_AGE);
        for (MarketId id : markets) {
            supply(id, address(0x100), USD.multiply(BigInteger.valueOf(50_000_000)));
        }
        ChainState state = block(1);
        Map<PositionKey, HealthBand> bands = expectedBands(state);

        ChainState saved = null;
        Map<PositionKey, HealthBand> savedBands = null;
        for (int b = 0; b < 160; b++) {
            try {
                if (b == 40) {
                    saved = state;
                    savedBands = bands;
                }
                randomBlockContent(b);
                state =
                        block(
                                random.nextInt(12) == 0
                                        ? 1 + random.nextInt(40 * 24 * 3600)
                                        : 1 + random.nextInt(600));
                bands = assertMatches(state, bands, "block " + chain.block);
                if (b == 100) {
                    told.clear();
                    engine.reset(state);
                    assertThat(told).as("a reset to the same state changes nothing").isEmpty();
                    engine.reset(saved);
                    assertMatches(saved, bands, "reset to the block-40 state");
                    engine.reset(state);
                    assertMatches(state, savedBands, "reset back");
                }
            } catch (AssertionError e) {
                throw new AssertionError(
                        "-Dfreehold.risk.seed="
                                + SEED
                                + ", at block "
                                + chain.block
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        assertThat(crossingsSeen).as("crossings compared").isGreaterThan(200);
    }

    /** Random protocol activity in the block being built. */
    private void randomBlockContent(int b) {
        int actions = b < 10 ? 120 : random.nextInt(8);
        for (int i = 0; i < actions; i++) {
            MarketId id = markets.get(random.nextInt(markets.size()));
            Address borrower = address(0x1000 + random.nextInt(b < 10 ? 2_000 : 2_100));
            switch (random.nextInt(b < 10 ? 1 : 5)) {
                case 0 -> borrow(id, borrower);
                case 1 -> repay(id, borrower);
                case 2 -> collateral(id, borrower, true);
                case 3 -> collateral(id, borrower, false);
                default -> accrue(id);
            }
        }
        for (Address token : List.of(T1, T2)) {
            PriceFeedRecord f = chain.feeds.get(token);
            int r = random.nextInt(20);
            if (r < 3) {
                chain.feed(
                        token,
                        scale(f.price(), 0.9 + 0.2 * random.nextDouble()),
                        chain.timestamp,
                        MAX_AGE);
            } else if (r == 3) {
                chain.feed(
                        token,
                        scale(f.price(), 0.55 + 0.3 * random.nextDouble()),
                        chain.timestamp,
                        MAX_AGE);
            } else if (r == 4) {
                chain.feed(
                        token,
                        f.price(),
                        chain.timestamp,
                        MAX_AGE); // a fresh appraisal at the same price
            } else if (r == 5) {
                chain.paused(token, !chain.tokens.get(token).paused());
            }
        }
    }

    private ChainState block(long secondsLater) {
        ChainState state = chain.state();
        told.clear();
        engine.applied(chain.mine(), state);
        chain.next(secondsLater);
        return state;
    }

    /** The engine against every position valued afresh; returns the bands now. */
    private Map<PositionKey, HealthBand> assertMatches(
            ChainState state, Map<PositionKey, HealthBand> before, String where) {
        Map<PositionKey, HealthBand> now = expectedBands(state);
        Set<String> expectedCrossings = new TreeSet<>();
        Set<PositionKey> keys = new HashSet<>(now.keySet());
        keys.addAll(before.keySet());
        for (PositionKey k : keys) {
            HealthBand from = before.getOrDefault(k, HealthBand.HEALTHY);
            HealthBand to = now.getOrDefault(k, HealthBand.HEALTHY);
            if (from != to) {
                expectedCrossings.add(k.marketId() + " " + k.account() + " " + from + "->" + to);
            }
        }
        Set<String> emitted = new TreeSet<>();
        for (BandCrossing c : told) {
            assertThat(
                            emitted.add(
                                    c.position().marketId()
                                            + " "
                                            + c.position().account()
                                            + " "
                                            + c.from()
                                            + "->"
                                            + c.to()))
                    .as("crossing told twice")
                    .isTrue();
            assertThat(c.position().asOf()).isEqualTo(state.checkpoint().orElseThrow());
        }
        assertThat(emitted).as(where + ": crossings").isEqualTo(expectedCrossings);
        crossingsSeen += emitted.size();
        told.clear();

        Set<String> liquidatable = new TreeSet<>();
        for (MarketRecord m : state.markets()) {
            Map<HealthBand, Integer> counts = new EnumMap<>(HealthBand.class);
            for (HealthBand band : HealthBand.values()) {
                counts.put(band, 0);
            }
            for (PositionRecord p : state.positions(m.id())) {
                if (p.borrowShares().signum() > 0) {
                    counts.merge(now.get(new PositionKey(m.id(), p.account())), 1, Integer::sum);
                }
            }
            MarketRisk risk = engine.market(m.id()).orElseThrow();
            assertThat(risk.borrowers())
                    .as(where + ": borrowers by band in " + m.id())
                    .isEqualTo(counts);
            assertThat(risk.flags().keySet())
                    .as(where + ": flags of " + m.id())
                    .isEqualTo(expectedFlags(state, m));
            if (risk.flags().isEmpty()) {
                state.positions(m.id()).stream()
                        .filter(
                                p ->
                                        now.get(new PositionKey(m.id(), p.account()))
                                                == HealthBand.LIQUIDATABLE)
                        .forEach(p -> liquidatable.add(m.id() + " " + p.account()));
            }
            // Spot checks of the numbers: the view's fields, valued as the contract values them.
            for (PositionRecord p : state.positions(m.id())) {
                if (random.nextInt(20) == 0) {
                    assertThat(engine.risk(m.id(), p.account()).orElseThrow().valuation())
                            .isEqualTo(valuation(state, m, p));
                }
            }
        }
        Set<String> found = new TreeSet<>();
        engine.liquidatable().forEach(r -> found.add(r.marketId() + " " + r.account()));
        assertThat(found).as(where + ": liquidatable").isEqualTo(liquidatable);
        return now;
    }

    private Map<PositionKey, HealthBand> expectedBands(ChainState state) {
        Map<PositionKey, HealthBand> bands = new HashMap<>();
        for (MarketRecord m : state.markets()) {
            for (PositionRecord p : state.positions(m.id())) {
                bands.put(
                        new PositionKey(m.id(), p.account()),
                        HealthBand.of(
                                valuation(state, m, p).healthFactor(),
                                config.warningHealthFactorWad()));
            }
        }
        return bands;
    }

    private static PositionValuation valuation(ChainState state, MarketRecord m, PositionRecord p) {
        long now = state.checkpoint().orElseThrow().timestamp();
        BigInteger price =
                state.priceFeed(m.params().collateralToken())
                        .map(PriceFeedRecord::price)
                        .orElse(BigInteger.ZERO);
        return Valuation.of(m.params(), ContractMath.accruedTo(m, now), p.state(), price);
    }

    private static Set<MarketFlag> expectedFlags(ChainState state, MarketRecord m) {
        Set<MarketFlag> flags = new TreeSet<>();
        long now = state.checkpoint().orElseThrow().timestamp();
        PriceFeedRecord f = state.priceFeed(m.params().collateralToken()).orElseThrow();
        if (BigInteger.valueOf(now - f.updatedAt()).compareTo(f.maxAge()) > 0) {
            flags.add(MarketFlag.PRICE_STALE);
        }
        if (state.token(m.params().collateralToken()).orElseThrow().paused()) {
            flags.add(MarketFlag.TOKEN_PAUSED);
        }
        if (!m.params().oracle().equals(StateBuilder.ORACLE)) {
            flags.add(MarketFlag.ORACLE_NOT_FOLLOWED);
        }
        return flags;
    }

    // ---- the pool's bookkeeping, enough of it for the totals to be right
    // ----------------------------

    private MarketState accrue(MarketId id) {
        MarketRecord m = chain.markets.get(id);
        MarketState accrued = ContractMath.accruedTo(m, chain.timestamp);
        chain.totals(
                id,
                new MarketState(
                        accrued.totalSupplyAssets(),
                        accrued.totalSupplyShares(),
                        accrued.totalBorrowAssets(),
                        accrued.totalBorrowShares(),
                        accrued.totalCollateral(),
                        chain.timestamp));
        return accrued;
    }

    private void supply(MarketId id, Address lender, BigInteger assets) {
        MarketState m = accrue(id);
        BigInteger shares =
                Shares.toSharesDown(assets, m.totalSupplyAssets(), m.totalSupplyShares());
        chain.totals(
                id,
                new MarketState(
                        m.totalSupplyAssets().add(assets),
                        m.totalSupplyShares().add(shares),
                        m.totalBorrowAssets(),
                        m.totalBorrowShares(),
                        m.totalCollateral(),
                        chain.timestamp));
        chain.position(id, lender, shares, BigInteger.ZERO, BigInteger.ZERO);
    }

    /** Locks collateral if there is none, then borrows towards a health factor near 1. */
    private void borrow(MarketId id, Address borrower) {
        PositionRecord p = current(id, borrower);
        MarketState m = accrue(id);
        BigInteger collateral =
                p.collateral().signum() > 0
                        ? p.collateral()
                        : TOKEN.multiply(BigInteger.valueOf(1 + random.nextInt(1_000)))
                                .add(BigInteger.valueOf(random.nextInt(1_000_000)));
        BigInteger price =
                chain.feeds.get(chain.markets.get(id).params().collateralToken()).price();
        BigInteger maxDebt =
                collateral
                        .multiply(price)
                        .divide(FixedPoint.PRICE_SCALE)
                        .multiply(StateBuilder.wad("0.75"))
                        .divide(StateBuilder.WAD);
        BigInteger debt =
                Shares.toAssetsUp(p.borrowShares(), m.totalBorrowAssets(), m.totalBorrowShares());
        BigInteger target = scale(maxDebt, 1 / Math.max(0.5, 1.12 + 0.12 * random.nextGaussian()));
        if (target.compareTo(debt) <= 0) {
            return;
        }
        BigInteger assets = target.subtract(debt);
        BigInteger shares = Shares.toSharesUp(assets, m.totalBorrowAssets(), m.totalBorrowShares());
        chain.totals(
                id,
                new MarketState(
                        m.totalSupplyAssets(),
                        m.totalSupplyShares(),
                        m.totalBorrowAssets().add(assets),
                        m.totalBorrowShares().add(shares),
                        m.totalCollateral().add(collateral.subtract(p.collateral())),
                        chain.timestamp));
        chain.position(id, borrower, p.supplyShares(), p.borrowShares().add(shares), collateral);
    }

    private void repay(MarketId id, Address borrower) {
        PositionRecord p = current(id, borrower);
        if (p.borrowShares().signum() == 0) {
            return;
        }
        MarketState m = accrue(id);
        BigInteger shares =
                random.nextBoolean()
                        ? p.borrowShares()
                        : p.borrowShares()
                                .multiply(BigInteger.valueOf(random.nextInt(100)))
                                .divide(BigInteger.valueOf(100));
        BigInteger assets = Shares.toAssetsUp(shares, m.totalBorrowAssets(), m.totalBorrowShares());
        chain.totals(
                id,
                new MarketState(
                        m.totalSupplyAssets(),
                        m.totalSupplyShares(),
                        m.totalBorrowAssets().subtract(assets).max(BigInteger.ZERO),
                        m.totalBorrowShares().subtract(shares),
                        m.totalCollateral(),
                        chain.timestamp));
        chain.position(
                id, borrower, p.supplyShares(), p.borrowShares().subtract(shares), p.collateral());
    }

    /**
     * Adds or takes out collateral (taking out does not accrue or check health here: any state will
     * do).
     */
    private void collateral(MarketId id, Address borrower, boolean add) {
        PositionRecord p = current(id, borrower);
        BigInteger delta =
                add
                        ? TOKEN.multiply(BigInteger.valueOf(1 + random.nextInt(50)))
                        : p.collateral()
                                .divide(BigInteger.valueOf(2 + random.nextInt(20)))
                                .negate();
        MarketState t = chain.markets.get(id).totals();
        chain.totals(
                id,
                new MarketState(
                        t.totalSupplyAssets(),
                        t.totalSupplyShares(),
                        t.totalBorrowAssets(),
                        t.totalBorrowShares(),
                        t.totalCollateral().add(delta),
                        t.lastUpdate()));
        chain.position(id, borrower, p.supplyShares(), p.borrowShares(), p.collateral().add(delta));
    }

    private PositionRecord current(MarketId id, Address account) {
        return chain.position(id, account)
                .orElse(
                        new PositionRecord(
                                id,
                                account,
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                BigInteger.ZERO));
    }

    private static BigInteger usdPerToken(double usd) {
        // 6-decimal base units per 18-decimal base unit, × 1e36
        return BigDecimal.valueOf(usd)
                .multiply(BigDecimal.TEN.pow(6 + 36 - 18))
                .toBigIntegerExact();
    }

    private static BigInteger scale(BigInteger x, double factor) {
        return new BigDecimal(x)
                .multiply(BigDecimal.valueOf(factor))
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }
}
