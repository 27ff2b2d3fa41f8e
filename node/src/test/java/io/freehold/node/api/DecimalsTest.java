package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.proto.v1.Position;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void writesWhatBigIntegerWritesAtEveryLengthAndSign() {
        Random random = new Random(14);
        for (int bits = 0; bits <= 320; bits++) {
            for (int i = 0; i < 50; i++) {
                BigInteger v = new BigInteger(bits, random);
                assertThat(Decimals.of(v)).isEqualTo(v.toString());
                assertThat(Decimals.of(v.negate())).isEqualTo(v.negate().toString());
                assertThat(Decimals.bytes(v).toStringUtf8()).isEqualTo(v.toString());
                assertThat(Decimals.bytes(v.negate()).toStringUtf8())
                        .isEqualTo(v.negate().toString());
            }
        }
    }

    @Test
    void writesTheBoundariesAndRunsOfZeros() {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (BigInteger v :
                new BigInteger[] {
                    BigInteger.ZERO,
                    BigInteger.valueOf(Long.MAX_VALUE),
                    BigInteger.valueOf(Long.MIN_VALUE),
                    BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                    two64,
                    two64.subtract(BigInteger.ONE),
                    BigInteger.TEN.pow(18),
                    BigInteger.TEN.pow(27),
                    BigInteger.TEN.pow(36).add(BigInteger.ONE),
                    BigInteger.TEN.pow(77),
                    Uint256.MAX,
                    BigInteger.ONE.shiftLeft(1100)
                }) {
            assertThat(Decimals.of(v)).isEqualTo(v.toString());
            assertThat(Decimals.bytes(v).toStringUtf8()).isEqualTo(v.toString());
        }
    }

    @Test
    void aPositionSetFromTheBytesIsTheSameMessageOnTheWire() {
        BigInteger v = Uint256.MAX;
        Position asText = Position.newBuilder().setHealthFactor(Decimals.of(v)).build();
        Position asBytes = Position.newBuilder().setHealthFactorBytes(Decimals.bytes(v)).build();
        assertThat(asBytes.toByteString()).isEqualTo(asText.toByteString());
        assertThat(asBytes.getHealthFactor()).isEqualTo(v.toString());
    }
}
