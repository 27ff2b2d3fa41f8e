package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;

/**
 * The edge refuses every malformed input with INVALID_ARGUMENT, the right reason and the field, and
 * accepts every well-formed one unchanged: a generated flood of both, seeded.
 */
class ApiArgumentsTest {

    private static final String VALID_LOWER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private static final String VALID_CHECKSUM = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    @Test
    void acceptsLowercaseUppercaseAndChecksummedAddresses() {
        assertThat(ApiArguments.address("owner", VALID_LOWER).hex()).isEqualTo(VALID_LOWER);
        assertThat(ApiArguments.address("owner", VALID_CHECKSUM).hex()).isEqualTo(VALID_LOWER);
        assertThat(
                        ApiArguments.address("owner", "0x" + VALID_LOWER.substring(2).toUpperCase())
                                .hex())
                .isEqualTo(VALID_LOWER);
    }

    @Test
    void refusesABadChecksumSayingSo() {
        String typo = VALID_CHECKSUM.substring(0, 5) + "d" + VALID_CHECKSUM.substring(6); // F -> d
        assertRefused(
                () -> ApiArguments.address("owner", typo), "INVALID_ADDRESS", "owner", "checksum");
    }

    @Test
    void refusesEveryMalformedAddressOfAFlood() {
        Random random = new Random(42);
        for (String bad : malformedAddresses(random)) {
            assertRefused(
                    () -> ApiArguments.address("account", bad),
                    bad.isEmpty() ? "MISSING_FIELD" : "INVALID_ADDRESS",
                    "account",
                    "");
        }
    }

    @Test
    void acceptsEveryRandomWellFormedAddress() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            String lower = "0x" + hex(random, 40);
            String checksummed = Keys.toChecksumAddress(lower);
            assertThat(ApiArguments.address("a", lower).hex()).isEqualTo(lower);
            assertThat(ApiArguments.address("a", checksummed).hex()).isEqualTo(lower);
        }
    }

    @Test
    void amountsAreDecimalUint256() {
        assertThat(ApiArguments.amount("assets", "0")).isZero();
        assertThat(ApiArguments.amount("assets", "1250000"))
                .isEqualTo(BigInteger.valueOf(1_250_000));
        assertThat(ApiArguments.amount("assets", ApiArguments.UINT256_MAX.toString()))
                .isEqualTo(ApiArguments.UINT256_MAX);
        assertRefused(
                () ->
                        ApiArguments.amount(
                                "assets", ApiArguments.UINT256_MAX.add(BigInteger.ONE).toString()),
                "INVALID_AMOUNT",
                "assets",
                "2^256 - 1");
        assertRefused(
                () -> ApiArguments.amount("assets", "-1"), "INVALID_AMOUNT", "assets", "negative");
        assertRefused(
                () -> ApiArguments.amount("assets", "9".repeat(500)),
                "INVALID_AMOUNT",
                "assets",
                "2^256 - 1");
        for (String bad :
                List.of("1.5", "1e6", "0x10", "+5", " 5", "5 ", "1_000", "１２", "NaN", "∞", "12a")) {
            assertRefused(
                    () -> ApiArguments.amount("assets", bad),
                    "INVALID_AMOUNT",
                    "assets",
                    "decimal integer");
        }
        assertRefused(
                () -> ApiArguments.amount("assets", ""), "MISSING_FIELD", "assets", "required");
    }

    @Test
    void marketIdsAre32BytesOfHex() {
        String id = "0x" + "ab".repeat(32);
        assertThat(ApiArguments.marketId("market_id", id).hex()).isEqualTo(id);
        for (String bad :
                List.of(
                        "0x" + "ab".repeat(31),
                        "0x" + "zz".repeat(32),
                        "ab".repeat(33),
                        id + "00")) {
            assertRefused(
                    () -> ApiArguments.marketId("market_id", bad),
                    "INVALID_MARKET_ID",
                    "market_id",
                    "");
        }
    }

    @Test
    void theStatusCarriesCodeMessageAndErrorInfo() throws InvalidProtocolBufferException {
        ApiException e =
                ApiException.invalid("INVALID_AMOUNT", "assets", "assets must not be negative");
        var status = StatusProto.fromThrowable(e.toStatus());
        assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(Status.fromThrowable(e.toStatus()).getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getDomain()).isEqualTo("freehold.v1");
        assertThat(info.getReason()).isEqualTo("INVALID_AMOUNT");
        assertThat(info.getMetadataMap()).containsEntry("field", "assets");
    }

    private static void assertRefused(
            Runnable call, String reason, String field, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
                            assertThat(e.reason()).isEqualTo(reason);
                            assertThat(e.field()).isEqualTo(field);
                            assertThat(e.getMessage()).contains(messagePart).contains(field);
                        });
    }

    /** Wrong lengths, prefixes, characters, and mixed case that is not the checksum. */
    private static List<String> malformedAddresses(Random random) {
        List<String> bad =
                new ArrayList<>(
                        List.of(
                                "",
                                "0x",
                                "0x0",
                                VALID_LOWER + "0",
                                VALID_LOWER.substring(0, 41),
                                VALID_LOWER.substring(2),
                                "1x" + VALID_LOWER.substring(2),
                                "0x" + "g".repeat(40),
                                "0x" + " ".repeat(40),
                                "0x" + VALID_LOWER.substring(2, 41) + "é"));
        for (int i = 0; i < 1_000; i++) {
            String digits = hex(random, 40);
            switch (random.nextInt(4)) {
                case 0 ->
                        bad.add(
                                "0x"
                                        + hex(random, random.nextInt(80))
                                                .replaceFirst("^(.{40})$", "$1a"));
                case 1 ->
                        bad.add("0x" + digits.substring(0, 39) + (char) ('g' + random.nextInt(20)));
                case 2 -> bad.add(digits + "00");
                default -> {
                    String checksummed = Keys.toChecksumAddress("0x" + digits).substring(2);
                    String flipped = flipOneLetter(checksummed, random);
                    if (!flipped.equals(checksummed)
                            && !flipped.equals(flipped.toLowerCase())
                            && !flipped.equals(flipped.toUpperCase())) {
                        bad.add("0x" + flipped);
                    }
                }
            }
        }
        return bad;
    }

    private static String flipOneLetter(String s, Random random) {
        List<Integer> letters = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                letters.add(i);
            }
        }
        if (letters.isEmpty()) {
            return s;
        }
        int at = letters.get(random.nextInt(letters.size()));
        char c = s.charAt(at);
        char flipped =
                Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        return s.substring(0, at) + flipped + s.substring(at + 1);
    }

    private static String hex(Random random, int digits) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            b.append(Character.forDigit(random.nextInt(16), 16));
        }
        return b.toString();
    }
}
