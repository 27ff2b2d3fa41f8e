package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveBookCodec;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored book's file on its own: what is written is read back (block, chain, book), and a file
 * of another market or chain, a cut one, or one that is not a stored book is refused, never served.
 */
class AaveBookFileTest {

    private static final AaveBook.Market MARKET =
            new AaveBook.Market(
                    Address.of("0x00000000000000000000000000000000000000a1"),
                    Address.of("0x00000000000000000000000000000000000000a2"),
                    Address.of("0x00000000000000000000000000000000000000a3"));
    private static final BlockHeader BLOCK =
            BlockHeader.of(42, "0x" + "ab".repeat(32), "0x" + "cd".repeat(32), 1_700_000_000L);

    @TempDir Path dir;

    @Test
    void whatIsWrittenIsReadBackAndNothingElseIsServed() throws Exception {
        AaveBookFile file = new AaveBookFile(dir.resolve("sub/node.aave-book"));
        assertThat(file.read(31337, MARKET)).as("no file").isEmpty();
        AaveBook book = new AaveBook(MARKET);
        file.write(new AaveBookFile.Stored(31337, BLOCK, book));

        AaveBookFile.Stored read = file.read(31337, MARKET).orElseThrow();
        assertThat(read.block()).isEqualTo(BLOCK);
        assertThat(read.chainId()).isEqualTo(31337);
        assertThat(AaveBookCodec.encode(read.book())).isEqualTo(AaveBookCodec.encode(book));
        assertThat(Files.exists(dir.resolve("sub/node.aave-book.tmp"))).isFalse();

        assertThat(file.read(100, MARKET)).as("another chain").isEmpty();
        AaveBook.Market other =
                new AaveBook.Market(MARKET.configurator(), MARKET.pool(), MARKET.oracle());
        assertThat(file.read(31337, other)).as("another market").isEmpty();

        byte[] bytes = Files.readAllBytes(file.path());
        Files.write(file.path(), Arrays.copyOf(bytes, bytes.length - 3));
        assertThat(file.read(31337, MARKET)).as("cut short").isEmpty();
        Files.writeString(file.path(), "FREEHOLD-STATE\0\0 something else entirely");
        assertThat(file.read(31337, MARKET)).as("not a stored book").isEmpty();

        // Written again over a bad file: whole again.
        file.write(new AaveBookFile.Stored(31337, BLOCK, book));
        assertThat(file.read(31337, MARKET)).isPresent();
    }
}
