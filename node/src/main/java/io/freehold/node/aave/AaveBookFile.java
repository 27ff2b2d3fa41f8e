package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AaveBookCodec;
import io.freehold.node.store.ChecksummedFile;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.types.Hex;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Aave book at one final block, in one file next to the node's store: what lets a restart take
 * the book up at that block instead of reading the market from its first block. Only ever a copy of
 * what the chain says: a missing, torn, foreign or outdated file costs a full read from {@code
 * aave.start-block}, nothing else, and the follower checks that the block is still on the chain
 * before using it.
 *
 * <p>Format (big-endian): the magic {@code FREEHOLD-AAVE\0\0\0}, the format version, the chain id,
 * the pool, configurator and oracle the book follows, the block (number, hash, parent hash,
 * timestamp), the book's length and its bytes ({@link AaveBookCodec}), and last the CRC-32C of
 * everything before it. Written to a temporary file, forced to disk, then renamed over the old one
 * (atomic move), so a {@code kill -9} at any moment leaves the previous whole file or the new one.
 */
public final class AaveBookFile {

    private static final Logger LOG = LoggerFactory.getLogger(AaveBookFile.class);

    private static final byte[] MAGIC = "FREEHOLD-AAVE\0\0\0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** The book as it stood after {@code block} on chain {@code chainId}. */
    public record Stored(long chainId, BlockHeader block, AaveBook book) {}

    private final Path path;

    public AaveBookFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /**
     * The stored book, if the file holds a whole one of this chain and this market; otherwise
     * empty, with the reason logged (no file, damaged, another format, another chain or market).
     */
    public Optional<Stored> read(long chainId, AaveBook.Market market) {
        Optional<byte[]> read =
                ChecksummedFile.read(
                        path, "stored Aave book", "reading the market from its start block", LOG);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = read.get();
        try {
            Stored stored = decode(bytes);
            if (stored.chainId() != chainId) {
                throw new IllegalArgumentException(
                        "written on chain " + stored.chainId() + ", the node is on " + chainId);
            }
            if (!stored.book().market().equals(market)) {
                throw new IllegalArgumentException(
                        "written for another market (" + stored.book().market() + ")");
            }
            return Optional.of(stored);
        } catch (RuntimeException e) { // torn, foreign or damaged: whatever it breaks, unused
            LOG.warn(
                    "the stored Aave book {} is refused ({}): reading the market from its start"
                            + " block",
                    path,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes {@code stored} in place of the file's contents, atomically. */
    public void write(Stored stored) throws IOException {
        byte[] book = AaveBookCodec.encode(stored.book());
        ChecksummedFile.replace(
                path,
                out -> {
                    out.write(MAGIC);
                    out.writeInt(VERSION);
                    out.writeLong(stored.chainId());
                    BlockHeader block = stored.block();
                    out.writeLong(block.number());
                    out.write(Hex.bytes(block.hash().hex()));
                    out.write(Hex.bytes(block.parentHash().hex()));
                    out.writeLong(block.timestamp());
                    out.writeInt(book.length);
                    out.write(book);
                });
    }

    private static Stored decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + 4 + 4) {
            throw new IllegalArgumentException("too short");
        }
        if (!ChecksummedFile.checksumMatches(bytes)) {
            throw new IllegalArgumentException("checksum mismatch: torn or damaged");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not a stored Aave book");
        }
        in.limit(bytes.length - 4).position(MAGIC.length);
        try {
            int version = in.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(
                        "format version " + version + ", this node reads " + VERSION);
            }
            long chainId = in.getLong();
            long number = in.getLong();
            BlockHash hash = hash(in);
            BlockHash parent = hash(in);
            long timestamp = in.getLong();
            int length = in.getInt();
            if (length != in.remaining()) {
                throw new IllegalArgumentException("the book's length does not add up");
            }
            byte[] book = new byte[length];
            in.get(book);
            return new Stored(
                    chainId,
                    new BlockHeader(number, hash, parent, timestamp),
                    AaveBookCodec.decode(book));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("cut short");
        }
    }

    private static BlockHash hash(ByteBuffer in) {
        byte[] hash = new byte[32];
        in.get(hash);
        return new BlockHash("0x" + HexFormat.of().formatHex(hash));
    }
}
