package io.freehold.examples.bot;

import io.freehold.sdk.Cursor;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the bot must remember across restarts, in a small file: the stream's last cursor (to resume
 * where it stopped) and every opportunity it acted on (so a replayed or lagging opportunity is
 * never liquidated twice). An opportunity is a position at given borrow shares: once a liquidation
 * changes the shares, what is left is a new opportunity. An entry is written as "sending" before
 * the transaction is sent and gets its hash once mined; the file is replaced atomically, so a crash
 * leaves the old or the new file, never half of one.
 */
final class BotState {

    static final String SENDING = "sending";

    private final Path file;
    private final Properties values = new Properties();

    private BotState(Path file) {
        this.file = file;
    }

    static BotState load(Path file) {
        BotState state = new BotState(file);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                state.values.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bot's state " + file, e);
            }
        }
        return state;
    }

    Optional<Cursor> cursor() {
        String block = values.getProperty("cursor.block");
        return block == null
                ? Optional.empty()
                : Optional.of(
                        new Cursor(
                                Long.parseLong(block),
                                values.getProperty("cursor.hash"),
                                Long.parseLong(values.getProperty("cursor.sequence"))));
    }

    void cursor(Cursor c) {
        values.setProperty("cursor.block", Long.toString(c.blockNumber()));
        values.setProperty("cursor.hash", c.blockHash());
        values.setProperty("cursor.sequence", Long.toString(c.sequence()));
    }

    /**
     * The transaction hash (or {@link #SENDING}) of what the bot did for this opportunity, if
     * anything.
     */
    Optional<String> acted(String opportunity) {
        return Optional.ofNullable(values.getProperty("acted." + opportunity));
    }

    void acting(String opportunity) {
        values.setProperty("acted." + opportunity, SENDING);
        save();
    }

    void acted(String opportunity, String transactionHash) {
        values.setProperty("acted." + opportunity, transactionHash);
        save();
    }

    void save() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                values.store(
                        out, "Freehold liquidation bot: last cursor and opportunities acted on");
            }
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bot's state " + file, e);
        }
    }
}
