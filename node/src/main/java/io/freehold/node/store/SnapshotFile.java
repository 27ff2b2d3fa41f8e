package io.freehold.node.store;

import io.freehold.node.state.Checkpoint;
import io.freehold.types.BlockHash;
import io.freehold.types.Hex;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state tables as of one checkpoint, in one binary file: what lets a restart read the state
 * with one sequential read instead of a million rows through the database. Only ever a copy: the
 * store stays the truth, and {@link StateStore#loadSince} decides whether a copy can be used (it
 * must be at a block the store still has, with every later block journaled). A file that is
 * missing, torn, of another format or another schema is not used, and the node reads the store.
 *
 * <p>Format (big-endian): the magic {@code FREEHOLD-STATE\0\0}, the format version, the schema
 * (each table's name and columns as text: a column added by a migration makes older files
 * unusable), the checkpoint (number, hash, timestamp); then per table, in {@link #TABLES} order,
 * its rows in chunks (rows, bytes, payload) so that chunks decode on every core; last the CRC-32C
 * of everything before it. A value is written by its column's kind: hex text as its bytes (or "same
 * as the row before", which is how a position's market id costs one byte), a uint256 as its
 * magnitude's bytes, a long in eight bytes, a boolean in one. Written to a temporary file, flushed
 * to disk, then renamed over the old one, so a reader sees a whole file or the previous one.
 */
public final class SnapshotFile {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);

    private static final byte[] MAGIC = "FREEHOLD-STATE\0\0".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int CHUNK_ROWS = 65_536;

    // Text tags (a hex value's byte count otherwise, at most 253).
    private static final int SAME_AS_PREVIOUS = 255;
    private static final int PLAIN_TEXT = 254;

    private static final HexFormat HEX = HexFormat.of();

    /** The tables a snapshot holds: what the node loads into memory ({@link StateSnapshot}). */
    private static final List<StateTable<?>> TABLES = StateSnapshot.TABLES;

    private static final String SCHEMA = schema();

    private final Path path;

    public SnapshotFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /**
     * The snapshot in the file, or empty (and why, logged) if there is none or it cannot be used.
     * Headers are not kept in the file: the snapshot's {@code headers} is empty.
     */
    public Optional<StateSnapshot> read() {
        Optional<byte[]> read =
                ChecksummedFile.read(path, "state snapshot", "reading the whole store", LOG);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = read.get();
        try {
            return Optional.of(decode(bytes));
        } catch (RuntimeException e) { // a torn or foreign file: whatever it breaks, it is unused
            LOG.warn(
                    "the state snapshot {} is not usable ({}): reading the whole store",
                    path,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes {@code snapshot} (which must have a checkpoint) in place of the file's contents: the
     * file holds either the old snapshot or the new one whatever happens meanwhile.
     */
    public void write(StateSnapshot snapshot) throws IOException {
        Checkpoint checkpoint =
                snapshot.checkpoint()
                        .orElseThrow(() -> new IllegalArgumentException("no checkpoint"));
        ChecksummedFile.replace(
                path,
                out -> {
                    out.write(MAGIC);
                    out.writeInt(VERSION);
                    out.writeUTF(SCHEMA);
                    out.writeLong(checkpoint.number());
                    out.write(Hex.bytes(checkpoint.hash().hex()));
                    out.writeLong(checkpoint.timestamp());
                    List<List<?>> rows = snapshot.tableRows();
                    for (int t = 0; t < TABLES.size(); t++) {
                        writeRows(out, TABLES.get(t), rows.get(t));
                    }
                });
    }

    // ---- writing --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static <R> void writeRows(DataOutputStream out, StateTable<R> table, List<?> anyRows)
            throws IOException {
        List<R> rows = (List<R>) anyRows; // the snapshot's list for this table
        int chunks = (rows.size() + CHUNK_ROWS - 1) / CHUNK_ROWS;
        out.writeInt(chunks);
        Chunk chunk = new Chunk(table.columns().size());
        for (int from = 0; from < rows.size(); from += CHUNK_ROWS) {
            List<R> part = rows.subList(from, Math.min(rows.size(), from + CHUNK_ROWS));
            chunk.reset();
            for (R row : part) {
                chunk.row(table, table.columnsOf(row));
            }
            out.writeInt(part.size());
            out.writeInt(chunk.size());
            chunk.writeTo(out);
        }
    }

    /** One chunk's payload being built; each chunk starts without a previous row. */
    private static final class Chunk extends java.io.ByteArrayOutputStream {

        private final String[] previous;

        Chunk(int columns) {
            super(1 << 20);
            previous = new String[columns];
        }

        @Override
        public synchronized void reset() {
            super.reset();
            Arrays.fill(previous, null);
        }

        void row(StateTable<?> table, Object[] values) {
            List<Column> columns = table.columns();
            for (int i = 0; i < values.length; i++) {
                switch (columns.get(i).type()) {
                    case TEXT -> text(i, (String) values[i]);
                    case UINT -> uint((BigInteger) values[i]);
                    case LONG -> longValue((Long) values[i]);
                    case BOOL -> write((Boolean) values[i] ? 1 : 0);
                }
            }
        }

        private void text(int column, String value) {
            if (value.equals(previous[column])) {
                write(SAME_AS_PREVIOUS);
                return;
            }
            previous[column] = value;
            if (isHex(value)) {
                byte[] bytes = HEX.parseHex(value, 2, value.length());
                write(bytes.length);
                writeBytes(bytes);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                write(PLAIN_TEXT);
                longValue(bytes.length);
                writeBytes(bytes);
            }
        }

        private void uint(BigInteger value) {
            if (value.signum() < 0 || value.bitLength() > 256) {
                throw new IllegalArgumentException("not a uint256: " + value);
            }
            byte[] bytes = value.toByteArray();
            int skip = bytes[0] == 0 ? 1 : 0; // the sign byte of a positive number
            write(bytes.length - skip);
            write(bytes, skip, bytes.length - skip);
        }

        private void longValue(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                write((int) (value >>> shift));
            }
        }
    }

    /** {@code 0x} and an even number (up to 506) of lowercase hex digits: stored as its bytes. */
    private static boolean isHex(String value) {
        int n = value.length();
        if (n < 2 || n % 2 != 0 || n > 2 + 2 * 253 || !value.startsWith("0x")) {
            return false;
        }
        for (int i = 2; i < n; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    // ---- reading --------------------------------------------------------------------------------

    private static StateSnapshot decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + 8) {
            throw new CorruptSnapshotException("too short");
        }
        if (!ChecksummedFile.checksumMatches(bytes)) {
            throw new CorruptSnapshotException("checksum mismatch: torn or damaged");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.limit(bytes.length - 4);
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptSnapshotException("not a state snapshot");
        }
        buffer.position(MAGIC.length);
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new CorruptSnapshotException(
                    "format version " + version + ", this node reads " + VERSION);
        }
        int schemaLength = Short.toUnsignedInt(buffer.getShort());
        String schema = new String(bytes, buffer.position(), schemaLength, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + schemaLength);
        if (!schema.equals(SCHEMA)) {
            throw new CorruptSnapshotException("written for another schema of the state tables");
        }
        long number = buffer.getLong();
        byte[] hash = new byte[32];
        buffer.get(hash);
        long timestamp = buffer.getLong();
        Checkpoint checkpoint = new Checkpoint(number, new BlockHash(hex(hash)), timestamp);
        List<List<?>> tables = new ArrayList<>();
        for (StateTable<?> table : TABLES) {
            tables.add(readRows(buffer, table));
        }
        if (buffer.hasRemaining()) {
            throw new CorruptSnapshotException(buffer.remaining() + " bytes after the last table");
        }
        return StateSnapshot.of(Optional.of(checkpoint), List.of(), tables);
    }

    private static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /** A table's rows: the chunks located in one pass, then decoded in parallel. */
    private static <R> List<R> readRows(ByteBuffer buffer, StateTable<R> table) {
        int chunks = buffer.getInt();
        if (chunks < 0) {
            throw new CorruptSnapshotException(table + ": " + chunks + " chunks");
        }
        int[] rows = new int[chunks];
        int[] offsets = new int[chunks];
        int[] lengths = new int[chunks];
        int total = 0;
        for (int i = 0; i < chunks; i++) {
            rows[i] = buffer.getInt();
            lengths[i] = buffer.getInt();
            offsets[i] = buffer.position();
            if (rows[i] < 0 || lengths[i] < 0 || lengths[i] > buffer.remaining()) {
                throw new CorruptSnapshotException(table + ": chunk " + i + " out of bounds");
            }
            buffer.position(offsets[i] + lengths[i]);
            total += rows[i];
        }
        byte[] bytes = buffer.array();
        List<List<R>> decoded =
                IntStream.range(0, chunks)
                        .parallel()
                        .mapToObj(i -> readChunk(bytes, offsets[i], lengths[i], rows[i], table))
                        .toList();
        List<R> all = new ArrayList<>(total);
        decoded.forEach(all::addAll);
        return all;
    }

    private static <R> List<R> readChunk(
            byte[] bytes, int offset, int length, int rows, StateTable<R> table) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        List<Column> columns = table.columns();
        String[] previous = new String[columns.size()];
        List<R> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] =
                        switch (columns.get(i).type()) {
                            case TEXT -> previous[i] = text(in, previous[i]);
                            case UINT -> uint(in);
                            case LONG -> in.getLong();
                            case BOOL -> in.get() != 0;
                        };
            }
            out.add(table.rowOf(values));
        }
        if (in.position() != offset + length) {
            throw new CorruptSnapshotException(table + ": a chunk's length does not add up");
        }
        return out;
    }

    private static String text(ByteBuffer in, String previous) {
        int tag = Byte.toUnsignedInt(in.get());
        if (tag == SAME_AS_PREVIOUS) {
            if (previous == null) {
                throw new CorruptSnapshotException("a repeated value with none before it");
            }
            return previous;
        }
        if (tag == PLAIN_TEXT) {
            int length = Math.toIntExact(in.getLong());
            String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return value;
        }
        String value = "0x" + HEX.formatHex(in.array(), in.position(), in.position() + tag);
        in.position(in.position() + tag);
        return value;
    }

    private static BigInteger uint(ByteBuffer in) {
        int length = Byte.toUnsignedInt(in.get());
        if (length == 0) {
            return BigInteger.ZERO;
        }
        BigInteger value = new BigInteger(1, in.array(), in.position(), length);
        in.position(in.position() + length);
        return value;
    }

    private static String schema() {
        StringBuilder s = new StringBuilder();
        for (StateTable<?> table : TABLES) {
            s.append(table.name()).append('(');
            for (Column c : table.columns()) {
                s.append(c.name()).append(' ').append(c.type()).append(',');
            }
            s.append(')');
        }
        return s.toString();
    }

    /** The file is not a whole snapshot this node can read. */
    private static final class CorruptSnapshotException extends RuntimeException {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
