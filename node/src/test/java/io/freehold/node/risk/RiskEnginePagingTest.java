package io.freehold.node.risk;

import static io.freehold.node.risk.StateBuilder.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.MarketState;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pages of {@link RiskEngine#positions(MarketId, Address, int, BigInteger, Predicate)} on a large
 * market, against the whole sorted list filtered: concatenated, the pages are that list, with every
 * health filter (below, at and above the warning threshold, where the walk takes a different path).
 * Counts, not times.
 */
class RiskEnginePagingTest {

    private static final BigInteger USD = BigInteger.TEN.pow(6);
    private static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    private static final BigInteger PRICE =
            BigInteger.valueOf(5_240).multiply(BigInteger.TEN.pow(22)); // $52.40
    private static final Address T1 = address(0x7001);
    private static final int POSITIONS = 50_000;

    private final StateBuilder chain = new StateBuilder(100, 1_800_000_000L);
    private final RiskEngine engine =
            new RiskEngine(RiskConfiguration.defaults(), StateBuilder.ORACLE);
    private MarketId market;

    @BeforeEach
    void aLargeMarket() {
        // Accounts in random order (the builder keeps insertion order), a mix of lenders, borrowers
        // from 1%
        // to 90% of the LLTV's allowance and beyond it, and emptied positions; no two the same
        // account.
        Random random = new Random(7);
        market = chain.market(1, T1, StateBuilder.ORACLE);
        chain.feed(T1, PRICE, chain.timestamp, 365 * 24 * 3600L);
        BigInteger borrowed = BigInteger.ZERO;
        BigInteger locked = BigInteger.ZERO;
        long[] accounts = random.longs(POSITIONS, 1, Long.MAX_VALUE).distinct().toArray();
        for (long a : accounts) {
            Address account = address(a);
            int kind = random.nextInt(10);
            if (kind == 0) {
                chain.position(
                        market,
                        account,
                        BigInteger.valueOf(random.nextInt(1_000) + 1).multiply(USD).multiply(USD),
                        BigInteger.ZERO,
                        BigInteger.ZERO);
            } else if (kind == 1) {
                chain.position(market, account, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);
            } else {
                BigInteger collateral =
                        TOKEN.multiply(BigInteger.valueOf(random.nextInt(1_000) + 1));
                BigInteger maxDebt =
                        collateral
                                .multiply(PRICE)
                                .divide(BigInteger.TEN.pow(36))
                                .multiply(BigInteger.valueOf(75))
                                .divide(BigInteger.valueOf(100));
                // 1..110 % of what the LLTV allows: health factors from about 100 down to 0.9.
                BigInteger debt =
                        maxDebt.multiply(BigInteger.valueOf(random.nextInt(110) + 1))
                                .divide(BigInteger.valueOf(100));
                chain.position(market, account, BigInteger.ZERO, debt.multiply(USD), collateral);
                borrowed = borrowed.add(debt);
                locked = locked.add(collateral);
            }
        }
        BigInteger supplied = borrowed.multiply(BigInteger.TWO);
        chain.totals(
                market,
                new MarketState(
                        supplied,
                        supplied.multiply(USD),
                        borrowed,
                        borrowed.multiply(USD),
                        locked,
                        chain.timestamp));
        engine.reset(chain.state());
    }

    @Test
    void pagesConcatenateToTheWholeSortedListUnderEveryFilter() {
        List<PositionRisk> all = engine.positions(market);
        assertThat(all).hasSize(POSITIONS);
        assertThat(all).extracting(PositionRisk::account).isSorted();
        BigInteger warning = RiskConfiguration.defaults().warningHealthFactorWad();
        List<BigInteger> filters =
                Arrays.asList(
                        null,
                        StateBuilder.wad("0.95"),
                        StateBuilder.WAD,
                        StateBuilder.wad("1.05"),
                        warning,
                        warning.add(BigInteger.ONE),
                        StateBuilder.wad("2"));
        Predicate<PositionRisk> lendersOnly =
                p -> p.debt().signum() == 0 && p.valuation().supplyShares().signum() > 0;
        for (BigInteger below : filters) {
            for (Predicate<PositionRisk> filter :
                    List.<Predicate<PositionRisk>>of(p -> true, lendersOnly)) {
                List<PositionRisk> expected =
                        all.stream()
                                .filter(
                                        p ->
                                                below == null
                                                        || (p.debt().signum() > 0
                                                                && p.healthFactor().compareTo(below)
                                                                        < 0))
                                .filter(filter)
                                .toList();
                for (int size : new int[] {1_000, 137}) {
                    assertThat(pages(below, filter, size))
                            .as("below %s, page size %d", below, size)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aPageStartsAfterItsAccountWhetherOrNotThatAccountHasAPosition() {
        List<PositionRisk> all = engine.positions(market);
        Address existing = all.get(1_234).account();
        assertThat(engine.positions(market, existing, 3, null, p -> true))
                .isEqualTo(all.subList(1_235, 1_238));
        Address between =
                Address.of(
                        existing.hex().substring(0, 41)
                                + (existing.hex().endsWith("0") ? "1" : "0"));
        List<PositionRisk> after =
                all.stream().filter(p -> p.account().compareTo(between) > 0).limit(3).toList();
        assertThat(engine.positions(market, between, 3, null, p -> true)).isEqualTo(after);
        assertThat(engine.positions(market, all.get(all.size() - 1).account(), 3, null, p -> true))
                .isEmpty();
        assertThat(engine.positions(StateBuilder.marketId(42), null, 3, null, p -> true)).isEmpty();
    }

    @Test
    void aHealthFilterAtTheWarningThresholdFindsTheBandedPositions() {
        // The filter's fast path walks only WARNING and LIQUIDATABLE positions: there must be some.
        List<PositionRisk> atRisk =
                pages(RiskConfiguration.defaults().warningHealthFactorWad(), p -> true, 500);
        assertThat(atRisk)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.band()).isNotEqualTo(HealthBand.HEALTHY));
        assertThat(atRisk).anySatisfy(p -> assertThat(p.band()).isEqualTo(HealthBand.LIQUIDATABLE));
    }

    /** Every page in turn, each starting after the last account of the one before. */
    private List<PositionRisk> pages(BigInteger below, Predicate<PositionRisk> filter, int size) {
        List<PositionRisk> found = new ArrayList<>();
        Address after = null;
        while (true) {
            List<PositionRisk> page = engine.positions(market, after, size, below, filter);
            assertThat(page.size()).isLessThanOrEqualTo(size);
            found.addAll(page);
            if (page.size() < size) {
                return found;
            }
            after = page.get(page.size() - 1).account();
        }
    }
}
