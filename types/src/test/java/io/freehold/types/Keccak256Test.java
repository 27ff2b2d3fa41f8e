package io.freehold.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * Known Keccak-256 digests (Ethereum's, with the original padding), across the 136-byte block edge.
 */
class Keccak256Test {

    private static String keccak(String text) {
        return Hex.of(Keccak256.hash(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void matchesKnownDigests() {
        assertThat(keccak(""))
                .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        // The ERC-20 Transfer topic and the transfer(address,uint256) selector.
        assertThat(keccak("Transfer(address,address,uint256)"))
                .isEqualTo("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        assertThat(keccak("transfer(address,uint256)")).startsWith("0xa9059cbb");
    }

    @Test
    void agreesWithBouncyCastleAtEveryLengthAroundTheBlockEdges() {
        Random random = new Random(1);
        for (int length = 0; length <= 3 * 136 + 1; length++) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            assertThat(Keccak256.hash(input)).as("length %d", length).isEqualTo(Hash.sha3(input));
        }
    }
}
