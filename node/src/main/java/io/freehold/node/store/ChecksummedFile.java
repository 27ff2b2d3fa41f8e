package io.freehold.node.store;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;

/**
 * A file the node writes whole and reads whole (the state snapshot, an Aave node's stored book):
 * its content followed by the CRC-32C of that content (big-endian), written to a temporary file,
 * forced to disk and renamed over the old one. A crash at any moment leaves the previous file or
 * the new one, never a mix; a torn or damaged file fails the checksum and is not used. Only ever a
 * copy of what the chain or the store holds, so a file that cannot be used costs a slower start,
 * not data.
 */
public final class ChecksummedFile {

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private ChecksummedFile() {}

    /** Replaces {@code path} with {@code content} and its checksum. */
    public static void replace(Path path, Content content) throws IOException {
        Files.createDirectories(path.getParent());
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        try (FileOutputStream file = new FileOutputStream(temporary.toFile())) {
            DataOutputStream out =
                    new DataOutputStream(
                            new BufferedOutputStream(new CheckedOutputStream(file, crc), 1 << 16));
            content.writeTo(out);
            out.flush();
            new DataOutputStream(file).writeInt((int) crc.getValue());
            file.getChannel().force(true);
        }
        Files.move(
                temporary,
                path,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The file's bytes (checksum included), or empty when there is none or it cannot be read, with
     * why logged: "{@code what} ...: {@code otherwise}".
     */
    public static Optional<byte[]> read(Path path, String what, String otherwise, Logger log) {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            log.info("no {} at {}: {}", what, path, otherwise);
        } catch (IOException | OutOfMemoryError e) {
            log.warn("cannot read the {} {} ({}): {}", what, path, e.toString(), otherwise);
        }
        return Optional.empty();
    }

    /**
     * Whether the last four bytes of {@code bytes} are the CRC-32C of the rest: false for a torn or
     * damaged file, and for one shorter than its checksum.
     */
    public static boolean checksumMatches(byte[] bytes) {
        if (bytes.length < 4) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        return (int) crc.getValue() == ByteBuffer.wrap(bytes).getInt(bytes.length - 4);
    }
}
