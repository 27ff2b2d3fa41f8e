package io.freehold.contracts.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.math.Appraisal;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The views' call data is what the generated wrappers send, and their answers decode into the
 * shared types field for field; an answer too short for the outputs (an EOA answers {@code 0x}) is
 * refused, not read as zeros.
 */
class PoolViewsTest {

    private static final MarketId ID = MarketId.of("0x" + "ab".repeat(32));
    private static final Address ALICE = Address.of("0x" + "11".repeat(20));
    private static final Address BOB = Address.of("0x" + "22".repeat(20));

    @Test
    void callDataIsTheWrappersEncoding() {
        LendingPool pool = LendingPool.load(ALICE.hex(), null, ReadOnly.CREDENTIALS, null);
        assertThat(PoolViews.marketParams(ID).data())
                .isEqualTo(pool.marketParams(ID.toBytes()).encodeFunctionCall());
        assertThat(PoolViews.positionShares(ID, BOB).data())
                .isEqualTo(pool.positionShares(ID.toBytes(), BOB.hex()).encodeFunctionCall());
        assertThat(PoolViews.liquidate(ID, BOB, BigInteger.TEN, ALICE).data())
                .isEqualTo(
                        pool.liquidate(ID.toBytes(), BOB.hex(), BigInteger.TEN, ALICE.hex())
                                .encodeFunctionCall());
    }

    @Test
    void structsDecodeIntoTheMathsTypes() {
        LendingPool.MarketParams params =
                new LendingPool.MarketParams(
                        ALICE.hex(),
                        BOB.hex(),
                        Address.of("0x" + "33".repeat(20)).hex(),
                        BigInteger.valueOf(1),
                        BigInteger.valueOf(2),
                        BigInteger.valueOf(3),
                        BigInteger.valueOf(4),
                        BigInteger.valueOf(5),
                        BigInteger.valueOf(6),
                        BigInteger.valueOf(7),
                        BigInteger.valueOf(8),
                        BigInteger.valueOf(9),
                        BigInteger.valueOf(10));
        assertThat(PoolViews.marketParams(ID).decode("0x" + TypeEncoder.encode(params)))
                .isEqualTo(PoolStructs.terms(params));

        LendingPool.Position position =
                new LendingPool.Position(
                        BigInteger.valueOf(11),
                        BigInteger.valueOf(12),
                        BigInteger.valueOf(13),
                        BigInteger.valueOf(14),
                        BigInteger.valueOf(15));
        assertThat(PoolViews.positionShares(ID, BOB).decode("0x" + TypeEncoder.encode(position)))
                .isEqualTo(PoolStructs.position(position));

        AppraisalOracle.Feed feed =
                new AppraisalOracle.Feed(
                        new BigInteger("52400000000000000000000000"),
                        BigInteger.valueOf(1_767_225_600L),
                        BigInteger.valueOf(86_400),
                        BigInteger.valueOf(2_000));
        assertThat(PoolViews.feed(ALICE).decode("0x" + TypeEncoder.encode(feed)))
                .isEqualTo(
                        new Appraisal(
                                new BigInteger("52400000000000000000000000"),
                                1_767_225_600L,
                                BigInteger.valueOf(86_400)));
    }

    @Test
    void scalarsAndTheLiquidationResultDecode() {
        String three =
                "0x"
                        + TypeEncoder.encode(new Uint256(5))
                        + TypeEncoder.encode(new Uint256(6))
                        + TypeEncoder.encode(new Uint256(7));
        assertThat(PoolViews.liquidate(ID, BOB, BigInteger.TEN, ALICE).decode(three))
                .isEqualTo(
                        new PoolViews.LiquidationResult(
                                BigInteger.valueOf(5),
                                BigInteger.valueOf(6),
                                BigInteger.valueOf(7)));
        assertThat(TokenViews.paused().decode("0x" + TypeEncoder.encode(new Bool(true)))).isTrue();
        assertThat(
                        TokenViews.identityRegistry()
                                .decode(
                                        "0x"
                                                + TypeEncoder.encode(
                                                        new org.web3j.abi.datatypes.Address(
                                                                BOB.hex()))))
                .isEqualTo(BOB);
        assertThat(TokenViews.decimals().decode("0x" + TypeEncoder.encode(new Uint256(6))))
                .isEqualTo(6);
        assertThat(TokenViews.balanceOf(ALICE).data())
                .isEqualTo(
                        FunctionEncoder.encode(
                                new org.web3j.abi.datatypes.Function(
                                        "balanceOf",
                                        List.of(new org.web3j.abi.datatypes.Address(ALICE.hex())),
                                        List.of())));
    }

    @Test
    void anAnswerShorterThanTheOutputsIsRefused() {
        assertThatThrownBy(() -> PoolViews.market(ID).decode("0x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 6 words of return data from market, got 0 bytes");
        assertThatThrownBy(() -> PoolViews.marketParams(ID).decode("0x" + "00".repeat(32 * 12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 13 words");
        assertThatThrownBy(() -> TokenViews.paused().decode("0x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Wrappers loaded only to encode: they never send. */
    private static final class ReadOnly {
        static final org.web3j.crypto.Credentials CREDENTIALS =
                org.web3j.crypto.Credentials.create("0x" + "01".repeat(32));
    }
}
