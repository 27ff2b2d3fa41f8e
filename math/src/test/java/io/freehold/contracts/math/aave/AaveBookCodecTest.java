package io.freehold.contracts.math.aave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A book encoded and decoded is the same book: every account's figures, every reserve, every price,
 * and the same bytes when encoded again (one encoding per state, so nothing is lost); and both go
 * on alike with the next log. Bytes that are not a whole book are refused.
 */
class AaveBookCodecTest {

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
    private static final Address PEG = Address.of("0x00000000000000000000000000000000000000e1");
    private static final Address PEG_FEED =
            Address.of("0x00000000000000000000000000000000000000e2");
    private static final Address PENDING_A_TOKEN =
            Address.of("0x00000000000000000000000000000000000000f1");
    private static final Address BROKEN_FEED =
            Address.of("0x00000000000000000000000000000000000000f2");
    private static final List<Address> USERS =
            List.of(
                    Address.of("0x00000000000000000000000000000000000000d1"),
                    Address.of("0x00000000000000000000000000000000000000d2"),
                    Address.of("0x00000000000000000000000000000000000000d3"));
    private static final BigInteger RAY = RayMath.RAY;

    private long logIndex;

    @Test
    void aDecodedBookIsTheSameBook() {
        AaveBook book = market();
        byte[] bytes = AaveBookCodec.encode(book);
        AaveBook restored = AaveBookCodec.decode(bytes);

        assertThat(AaveBookCodec.encode(restored)).as("encoded again").isEqualTo(bytes);
        assertThat(restored.market()).isEqualTo(book.market());
        assertThat(restored.lastBlock()).isEqualTo(book.lastBlock());
        assertThat(restored.reserves()).isEqualTo(book.reserves());
        assertThat(restored.eModeCategories()).isEqualTo(book.eModeCategories());
        assertThat(restored.baseCurrency()).isEqualTo(book.baseCurrency());
        assertThat(restored.price(ASSET)).isEqualTo(book.price(ASSET));
        assertThat(restored.price(PEG)).isEqualTo(book.price(PEG));
        assertThat(restored.accounts()).isEqualTo(book.accounts()).hasSize(3);
        for (long t : new long[] {2_000, 2_000 + 365L * 24 * 3600}) {
            for (Address user : USERS) {
                assertThat(restored.accountData(user, t))
                        .as("%s at %d", user, t)
                        .isEqualTo(book.accountData(user, t));
                assertThat(restored.positions(user)).isEqualTo(book.positions(user));
                assertThat(restored.userConfiguration(user))
                        .isEqualTo(book.userConfiguration(user));
                assertThat(restored.eModeOf(user)).isEqualTo(book.eModeOf(user));
            }
        }
        assertThat(restored.accountData(USERS.get(0), 2_000).totalDebtBase()).isPositive();

        // Both go on alike: the pending aToken's reserve is initialized, a log of an old position
        // is refused by both, a repay applies to both.
        for (AaveBook b : List.of(book, restored)) {
            b.apply(
                    log(
                            30,
                            3_000,
                            VARIABLE,
                            List.of(AaveEvents.BURN, word(USERS.get(0)), word(USERS.get(0))),
                            words(BigInteger.valueOf(100_000_000), BigInteger.ZERO, RAY)));
            logIndex--;
        }
        assertThat(AaveBookCodec.encode(restored)).isEqualTo(AaveBookCodec.encode(book));
        AaveLog old = new AaveLog(1, 100, 0, POOL, List.of(AaveEvents.BORROW), "0x");
        assertThatThrownBy(() -> restored.apply(old)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesThatAreNotAWholeBookAreRefused() {
        byte[] bytes = AaveBookCodec.encode(market());
        assertThatThrownBy(() -> AaveBookCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(AaveBookCodec.MalformedBookException.class);
        assertThatThrownBy(() -> AaveBookCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(AaveBookCodec.MalformedBookException.class);
        byte[] otherVersion = bytes.clone();
        otherVersion[3] = 9;
        assertThatThrownBy(() -> AaveBookCodec.decode(otherVersion))
                .isInstanceOf(AaveBookCodec.MalformedBookException.class)
                .hasMessageContaining("format 9");
        assertThatThrownBy(() -> AaveBookCodec.decode(new byte[0]))
                .isInstanceOf(AaveBookCodec.MalformedBookException.class);
    }

    /**
     * A reserve with a configuration word, indexes and rates; a base currency, prices, a source
     * answering below zero; an eMode category with a price source; three accounts: one borrowing in
     * eMode, one collateral only, one with a debt bit cleared; an aToken initialized whose reserve
     * is not yet.
     */
    private AaveBook market() {
        AaveBook book = new AaveBook(new AaveBook.Market(POOL, CONFIGURATOR, ORACLE));
        apply(
                book,
                4,
                A_TOKEN,
                List.of(AaveEvents.ATOKEN_INITIALIZED, word(ASSET), word(POOL)),
                words(BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(6)));
        apply(
                book,
                4,
                CONFIGURATOR,
                List.of(AaveEvents.RESERVE_INITIALIZED, word(ASSET), word(A_TOKEN)),
                words(num(STABLE), num(VARIABLE), BigInteger.valueOf(0xabc)));
        apply(
                book,
                5,
                ORACLE,
                List.of(AaveEvents.BASE_CURRENCY_SET, word(Address.ZERO)),
                words(BigInteger.TEN.pow(8)));
        apply(
                book,
                5,
                FEED,
                List.of(
                        AaveEvents.ANSWER_UPDATED,
                        word(BigInteger.TEN.pow(8)),
                        word(BigInteger.ZERO)),
                words(BigInteger.valueOf(500)));
        apply(
                book,
                5,
                BROKEN_FEED,
                List.of(
                        AaveEvents.ANSWER_UPDATED,
                        word(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.TEN)),
                        word(BigInteger.ZERO)),
                words(BigInteger.valueOf(500)));
        apply(
                book,
                5,
                ORACLE,
                List.of(AaveEvents.ASSET_SOURCE_UPDATED, word(ASSET), word(FEED)),
                "0x");
        apply(
                book,
                5,
                CONFIGURATOR,
                List.of(AaveEvents.COLLATERAL_CONFIGURATION_CHANGED, word(ASSET)),
                words(
                        BigInteger.valueOf(7_000),
                        BigInteger.valueOf(7_500),
                        BigInteger.valueOf(11_000)));
        apply(
                book,
                5,
                CONFIGURATOR,
                List.of(AaveEvents.RESERVE_BORROWING, word(ASSET)),
                words(BigInteger.ONE));
        apply(
                book,
                5,
                CONFIGURATOR,
                List.of(AaveEvents.RESERVE_FACTOR_CHANGED, word(ASSET)),
                words(BigInteger.ZERO, BigInteger.valueOf(1_000)));
        apply(
                book,
                6,
                PEG_FEED,
                List.of(
                        AaveEvents.ANSWER_UPDATED,
                        word(BigInteger.valueOf(200_000_000)),
                        word(BigInteger.ZERO)),
                words(BigInteger.valueOf(600)));
        apply(
                book,
                6,
                ORACLE,
                List.of(AaveEvents.ASSET_SOURCE_UPDATED, word(PEG), word(PEG_FEED)),
                "0x");
        apply(
                book,
                6,
                CONFIGURATOR,
                List.of(AaveEvents.EMODE_CATEGORY_ADDED, word(BigInteger.ONE)),
                words(
                        BigInteger.valueOf(9_000),
                        BigInteger.valueOf(9_300),
                        BigInteger.valueOf(10_200),
                        num(PEG),
                        BigInteger.valueOf(192),
                        BigInteger.ZERO));
        apply(
                book,
                6,
                CONFIGURATOR,
                List.of(AaveEvents.EMODE_ASSET_CATEGORY_CHANGED, word(ASSET)),
                words(BigInteger.ZERO, BigInteger.ONE));
        apply(
                book,
                7,
                PENDING_A_TOKEN,
                List.of(AaveEvents.ATOKEN_INITIALIZED, word(PEG), word(POOL)),
                words(BigInteger.ZERO, BigInteger.ZERO, BigInteger.valueOf(18)));
        for (int i = 0; i < USERS.size(); i++) {
            Address user = USERS.get(i);
            apply(
                    book,
                    10,
                    A_TOKEN,
                    List.of(AaveEvents.MINT, word(user), word(user)),
                    words(BigInteger.valueOf(1_000_000_000L * (i + 1)), BigInteger.ZERO, RAY));
            apply(
                    book,
                    10,
                    POOL,
                    List.of(AaveEvents.COLLATERAL_ENABLED, word(ASSET), word(user)),
                    "0x");
        }
        for (Address user : List.of(USERS.get(0), USERS.get(2))) {
            apply(
                    book,
                    11,
                    VARIABLE,
                    List.of(AaveEvents.MINT, word(user), word(user)),
                    words(BigInteger.valueOf(300_000_000), BigInteger.ZERO, RAY));
        }
        apply(
                book,
                12,
                VARIABLE,
                List.of(AaveEvents.BURN, word(USERS.get(2)), word(USERS.get(2))),
                words(BigInteger.valueOf(300_000_000), BigInteger.ZERO, RAY));
        apply(
                book,
                12,
                POOL,
                List.of(AaveEvents.RESERVE_DATA_UPDATED, word(ASSET)),
                words(
                        RAY.divide(BigInteger.valueOf(20)),
                        BigInteger.ZERO,
                        RAY.divide(BigInteger.TEN),
                        RAY.add(BigInteger.valueOf(12345)),
                        RAY.add(BigInteger.valueOf(67890))));
        apply(
                book,
                13,
                POOL,
                List.of(AaveEvents.USER_EMODE_SET, word(USERS.get(0))),
                words(BigInteger.ONE));
        return book;
    }

    private void apply(
            AaveBook book, long block, Address emitter, List<String> topics, String data) {
        book.apply(log(block, block * 100, emitter, topics, data));
    }

    private AaveLog log(
            long block, long timestamp, Address address, List<String> topics, String data) {
        return new AaveLog(block, timestamp, logIndex++, address, topics, data);
    }

    private static BigInteger num(Address address) {
        return new BigInteger(address.hex().substring(2), 16);
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
