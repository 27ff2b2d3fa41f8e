package io.freehold.contracts.math.aave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The book's rules on hand-made logs: what the differential test against the real pool cannot
 * easily provoke (logs out of order, a doubled burn, a price nobody published, a rate swap).
 */
class AaveBookTest {

    private static final Address POOL = Address.of("0x00000000000000000000000000000000000000a1");
    private static final Address CONFIGURATOR =
            Address.of("0x00000000000000000000000000000000000000a2");
    private static final Address ORACLE = Address.of("0x00000000000000000000000000000000000000a3");
    private static final Address ASSET = Address.of("0x00000000000000000000000000000000000000b1");
    private static final Address A_TOKEN = Address.of("0x00000000000000000000000000000000000000b2");
    private static final Address STABLE = Address.of("0x00000000000000000000000000000000000000b3");
    private static final Address VARIABLE =
            Address.of("0x00000000000000000000000000000000000000b4");
    private static final Address FEED = Address.of("0x00000000000000000000000000000000000000c1");
    private static final Address USER = Address.of("0x00000000000000000000000000000000000000d1");
    private static final BigInteger RAY = RayMath.RAY;

    private long logIndex;

    @Test
    void anAccountWithNothingHasTheMaximumHealthFactor() {
        AaveBook book = listed();
        AccountData data = book.accountData(USER, 500);
        assertThat(data.healthFactor()).isEqualTo(Uint256.MAX);
        assertThat(data.totalCollateralBase()).isZero();
    }

    @Test
    void aSuppliedCollateralIsValuedAtTheOraclePriceAndGrowsWithTheLiquidityIndex() {
        AaveBook book = listed();
        // 1,000 units (6 decimals) at index 1 ray; collateral on; price $1.00 (8 decimals).
        book.apply(
                log(
                        10,
                        1_000,
                        A_TOKEN,
                        List.of(AaveEvents.MINT, word(USER), word(USER)),
                        words(BigInteger.valueOf(1_000_000_000), BigInteger.ZERO, RAY)));
        book.apply(
                log(
                        10,
                        1_000,
                        POOL,
                        List.of(AaveEvents.COLLATERAL_ENABLED, word(ASSET), word(USER)),
                        "0x"));
        // A 10 % liquidity rate from t = 1000.
        book.apply(
                log(
                        10,
                        1_000,
                        POOL,
                        List.of(AaveEvents.RESERVE_DATA_UPDATED, word(ASSET)),
                        words(
                                RAY.divide(BigInteger.TEN),
                                BigInteger.ZERO,
                                BigInteger.ZERO,
                                RAY,
                                RAY)));
        AccountData now = book.accountData(USER, 1_000);
        assertThat(now.totalCollateralBase()).isEqualTo(BigInteger.valueOf(100_000_000_000L));
        assertThat(now.ltv()).isEqualTo(BigInteger.valueOf(7_000));
        // Half a year later: 5 % more, linearly.
        AccountData later = book.accountData(USER, 1_000 + 365L * 24 * 3600 / 2);
        assertThat(later.totalCollateralBase()).isEqualTo(BigInteger.valueOf(105_000_000_000L));
    }

    @Test
    void anAccountInEModeTakesTheCategorysLtvThresholdAndPrice() {
        AaveBook book = listed();
        Address peg = Address.of("0x00000000000000000000000000000000000000e1");
        Address pegFeed = Address.of("0x00000000000000000000000000000000000000e2");
        book.apply(
                log(
                        6,
                        600,
                        pegFeed,
                        List.of(
                                AaveEvents.ANSWER_UPDATED,
                                word(BigInteger.valueOf(200_000_000)),
                                word(BigInteger.ZERO)),
                        words(BigInteger.valueOf(600))));
        book.apply(
                log(
                        6,
                        600,
                        ORACLE,
                        List.of(AaveEvents.ASSET_SOURCE_UPDATED, word(peg), word(pegFeed)),
                        "0x"));
        // Category 1: 90 % / 93 % / 2 %, priced by the peg ($2.00 here, so the price visibly
        // moves).
        book.apply(
                log(
                        6,
                        600,
                        CONFIGURATOR,
                        List.of(AaveEvents.EMODE_CATEGORY_ADDED, word(BigInteger.ONE)),
                        words(
                                BigInteger.valueOf(9_000),
                                BigInteger.valueOf(9_300),
                                BigInteger.valueOf(10_200),
                                new BigInteger(peg.hex().substring(2), 16),
                                BigInteger.valueOf(192),
                                BigInteger.ZERO)));
        book.apply(
                log(
                        6,
                        600,
                        CONFIGURATOR,
                        List.of(AaveEvents.EMODE_ASSET_CATEGORY_CHANGED, word(ASSET)),
                        words(BigInteger.ZERO, BigInteger.ONE)));
        book.apply(
                log(
                        10,
                        1_000,
                        A_TOKEN,
                        List.of(AaveEvents.MINT, word(USER), word(USER)),
                        words(BigInteger.valueOf(1_000_000_000), BigInteger.ZERO, RAY)));
        book.apply(
                log(
                        10,
                        1_000,
                        POOL,
                        List.of(AaveEvents.COLLATERAL_ENABLED, word(ASSET), word(USER)),
                        "0x"));
        assertThat(book.accountData(USER, 1_000).totalCollateralBase())
                .isEqualTo(BigInteger.valueOf(100_000_000_000L));

        book.apply(
                log(
                        11,
                        1_001,
                        POOL,
                        List.of(AaveEvents.USER_EMODE_SET, word(USER)),
                        words(BigInteger.ONE)));
        AccountData inEMode = book.accountData(USER, 1_001);
        assertThat(inEMode.totalCollateralBase()).isEqualTo(BigInteger.valueOf(200_000_000_000L));
        assertThat(inEMode.ltv()).isEqualTo(BigInteger.valueOf(9_000));
        assertThat(inEMode.currentLiquidationThreshold()).isEqualTo(BigInteger.valueOf(9_300));

        book.apply(
                log(
                        12,
                        1_002,
                        POOL,
                        List.of(AaveEvents.USER_EMODE_SET, word(USER)),
                        words(BigInteger.ZERO)));
        assertThat(book.accountData(USER, 1_002).ltv()).isEqualTo(BigInteger.valueOf(7_000));
    }

    @Test
    void anEmptyAccountReadsNoPriceEvenInEModeAsThePoolDoes() {
        AaveBook book = listed();
        Address unpriced = Address.of("0x00000000000000000000000000000000000000e9");
        book.apply(
                log(
                        6,
                        600,
                        CONFIGURATOR,
                        List.of(AaveEvents.EMODE_CATEGORY_ADDED, word(BigInteger.ONE)),
                        words(
                                BigInteger.valueOf(9_000),
                                BigInteger.valueOf(9_300),
                                BigInteger.valueOf(10_200),
                                new BigInteger(unpriced.hex().substring(2), 16),
                                BigInteger.valueOf(192),
                                BigInteger.ZERO)));
        book.apply(
                log(
                        7,
                        700,
                        POOL,
                        List.of(AaveEvents.USER_EMODE_SET, word(USER)),
                        words(BigInteger.ONE)));
        assertThat(book.eModeOf(USER)).isEqualTo(1);
        assertThat(book.accountData(USER, 700).healthFactor()).isEqualTo(Uint256.MAX);
    }

    @Test
    void withPriceValuesACopyAtTheNewPriceAndLeavesTheBookAsItWas() {
        AaveBook book = listed();
        book.apply(
                log(
                        10,
                        1_000,
                        A_TOKEN,
                        List.of(AaveEvents.MINT, word(USER), word(USER)),
                        words(BigInteger.valueOf(1_000_000_000), BigInteger.ZERO, RAY)));
        book.apply(
                log(
                        10,
                        1_000,
                        POOL,
                        List.of(AaveEvents.COLLATERAL_ENABLED, word(ASSET), word(USER)),
                        "0x"));
        // 1,000 units at $1.00, then at $0.70.
        AaveBook fallen = book.withPrice(ASSET, BigInteger.valueOf(70_000_000));
        assertThat(fallen.price(ASSET)).isEqualTo(BigInteger.valueOf(70_000_000));
        assertThat(fallen.accountData(USER, 1_000).totalCollateralBase())
                .isEqualTo(BigInteger.valueOf(70_000_000_000L));
        assertThat(fallen.copy().price(ASSET))
                .as("a copy keeps it")
                .isEqualTo(BigInteger.valueOf(70_000_000));
        assertThat(book.price(ASSET)).isEqualTo(BigInteger.TEN.pow(8));
        assertThat(book.accountData(USER, 1_000).totalCollateralBase())
                .isEqualTo(BigInteger.valueOf(100_000_000_000L));
        assertThatThrownBy(() -> book.withPrice(USER, BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        for (BigInteger bad :
                List.of(BigInteger.ZERO, BigInteger.ONE.negate(), BigInteger.ONE.shiftLeft(255))) {
            assertThatThrownBy(() -> book.withPrice(ASSET, bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void logsOutOfOrderAreRefused() {
        AaveBook book = listed();
        assertThatThrownBy(
                        () ->
                                book.apply(
                                        log(
                                                1,
                                                0,
                                                POOL,
                                                List.of(AaveEvents.USER_EMODE_SET, word(USER)),
                                                words(BigInteger.ZERO))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not after");
    }

    @Test
    void aBurnOfMoreThanTheBalanceMeansAMissedLog() {
        AaveBook book = listed();
        assertThatThrownBy(
                        () ->
                                book.apply(
                                        log(
                                                10,
                                                1_000,
                                                A_TOKEN,
                                                List.of(AaveEvents.BURN, word(USER), word(USER)),
                                                words(BigInteger.TEN, BigInteger.ZERO, RAY))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("below zero");
    }

    @Test
    void aPriceWithoutAKnownAnswerIsRefusedByName() {
        AaveBook book = new AaveBook(new AaveBook.Market(POOL, CONFIGURATOR, ORACLE));
        initReserve(book);
        assertThatThrownBy(() -> book.price(ASSET))
                .isInstanceOfSatisfying(
                        UnsupportedAaveFeatureException.class,
                        e -> assertThat(e.feature()).isEqualTo("fallback oracle"));
        book.apply(
                log(
                        5,
                        500,
                        ORACLE,
                        List.of(AaveEvents.ASSET_SOURCE_UPDATED, word(ASSET), word(FEED)),
                        "0x"));
        assertThatThrownBy(() -> book.price(ASSET))
                .isInstanceOfSatisfying(
                        UnsupportedAaveFeatureException.class,
                        e ->
                                assertThat(e.feature())
                                        .isEqualTo("price source without AnswerUpdated"));
    }

    @Test
    void aRateSwapIsRefusedAsStableRateDebt() {
        AaveBook book = listed();
        assertThatThrownBy(
                        () ->
                                book.apply(
                                        log(
                                                10,
                                                1_000,
                                                POOL,
                                                List.of(
                                                        AaveEvents.SWAP_BORROW_RATE_MODE,
                                                        word(ASSET),
                                                        word(USER)),
                                                words(BigInteger.ONE))))
                .isInstanceOfSatisfying(
                        UnsupportedAaveFeatureException.class,
                        e -> assertThat(e.feature()).isEqualTo("stable-rate debt"));
    }

    @Test
    void compoundedInterestIsAavesThreeTermApproximation() {
        BigInteger rate = RAY.divide(BigInteger.TEN); // 10 % a year
        long year = 365L * 24 * 3600;
        // e^0.1 = 1.105171; the three terms would give 1.105167, but Aave rounds the per-second
        // r^3 down to 31 (from 31.88) units, so the third term is 2.8 % short: 1.105162.
        BigInteger spy = BigInteger.valueOf(year);
        BigInteger r2 = RAY.divide(BigInteger.valueOf(100)).divide(spy.multiply(spy));
        BigInteger r3 = RayMath.rayMul(r2, rate).divide(spy);
        assertThat(r3).isEqualTo(BigInteger.valueOf(31));
        BigInteger n = spy;
        BigInteger expected =
                RAY.add(rate)
                        .add(
                                n.multiply(n.subtract(BigInteger.ONE))
                                        .multiply(r2)
                                        .divide(BigInteger.TWO))
                        .add(
                                n.multiply(n.subtract(BigInteger.ONE))
                                        .multiply(n.subtract(BigInteger.TWO))
                                        .multiply(r3)
                                        .divide(BigInteger.valueOf(6)));
        assertThat(AaveInterest.compounded(rate, year))
                .isEqualTo(expected)
                .isEqualTo(new BigInteger("1105162042821782412575504000"));
        assertThat(AaveInterest.compounded(rate, 0)).isEqualTo(RAY);
        assertThat(AaveInterest.linear(rate, year)).isEqualTo(RAY.add(rate));
        assertThatThrownBy(() -> AaveInterest.linear(rate, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rayMathRoundsHalfUp() {
        assertThat(RayMath.rayMul(BigInteger.ONE, RAY.divide(BigInteger.TWO)))
                .isEqualTo(BigInteger.ONE);
        assertThat(
                        RayMath.rayMul(
                                BigInteger.ONE,
                                RAY.divide(BigInteger.TWO).subtract(BigInteger.ONE)))
                .isZero();
        assertThat(RayMath.rayDiv(BigInteger.ONE, RAY.multiply(BigInteger.TWO)))
                .isEqualTo(BigInteger.ONE);
        assertThat(RayMath.percentMul(BigInteger.valueOf(3), BigInteger.valueOf(5_000)))
                .isEqualTo(BigInteger.TWO);
    }

    /** A book with one reserve (6 decimals, 70/75/110) priced at $1.00 from block 5. */
    private AaveBook listed() {
        AaveBook book = new AaveBook(new AaveBook.Market(POOL, CONFIGURATOR, ORACLE));
        initReserve(book);
        book.apply(
                log(
                        5,
                        500,
                        ORACLE,
                        List.of(AaveEvents.BASE_CURRENCY_SET, word(Address.ZERO)),
                        words(BigInteger.TEN.pow(8))));
        book.apply(
                log(
                        5,
                        500,
                        FEED,
                        List.of(
                                AaveEvents.ANSWER_UPDATED,
                                word(BigInteger.TEN.pow(8)),
                                word(BigInteger.ZERO)),
                        words(BigInteger.valueOf(500))));
        book.apply(
                log(
                        5,
                        500,
                        ORACLE,
                        List.of(AaveEvents.ASSET_SOURCE_UPDATED, word(ASSET), word(FEED)),
                        "0x"));
        book.apply(
                log(
                        5,
                        500,
                        CONFIGURATOR,
                        List.of(AaveEvents.COLLATERAL_CONFIGURATION_CHANGED, word(ASSET)),
                        words(
                                BigInteger.valueOf(7_000),
                                BigInteger.valueOf(7_500),
                                BigInteger.valueOf(11_000))));
        return book;
    }

    private void initReserve(AaveBook book) {
        // The aToken's Initialized (underlying, pool indexed; treasury, incentives, decimals, ...).
        book.apply(
                log(
                        4,
                        400,
                        A_TOKEN,
                        List.of(AaveEvents.ATOKEN_INITIALIZED, word(ASSET), word(POOL)),
                        words(BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(6))));
        book.apply(
                log(
                        4,
                        400,
                        CONFIGURATOR,
                        List.of(AaveEvents.RESERVE_INITIALIZED, word(ASSET), word(A_TOKEN)),
                        words(
                                new BigInteger(STABLE.hex().substring(2), 16),
                                new BigInteger(VARIABLE.hex().substring(2), 16),
                                BigInteger.ZERO)));
    }

    private AaveLog log(
            long block, long timestamp, Address address, List<String> topics, String data) {
        return new AaveLog(block, timestamp, logIndex++, address, topics, data);
    }

    private static String word(Address address) {
        return "0x" + "0".repeat(24) + address.hex().substring(2);
    }

    private static String word(BigInteger value) {
        String hex = value.toString(16);
        return "0x" + "0".repeat(64 - hex.length()) + hex;
    }

    private static String words(BigInteger... values) {
        List<String> parts = new ArrayList<>();
        for (BigInteger v : values) {
            parts.add(word(v).substring(2));
        }
        return "0x" + String.join("", parts);
    }
}
