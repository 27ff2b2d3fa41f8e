package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.PositionEvent;
import io.freehold.proto.v1.Retraction;
import org.junit.jupiter.api.Test;

/**
 * A journal entry compacted after its step was offered keeps only the event's bytes: what a later
 * resume is sent (the frame's bytes, the event parsed from them, the cursor) is what the live
 * streams were sent.
 */
class JournalEntryTest {

    @Test
    void aCompactedEntryReplaysTheSameBytesAndEvent() {
        PositionEvent event =
                PositionEvent.newBuilder()
                        .setCursor(
                                Cursor.newBuilder()
                                        .setBlockNumber(12)
                                        .setBlockHash("0x" + "ab".repeat(32))
                                        .setSequence(7))
                        .setRetracted(Retraction.newBuilder().setOrphanedBlocks(2))
                        .build();
        StreamFeed.Entry entry = new StreamFeed.Entry(event, null, null, null, null);
        byte[] sent = entry.frame().bytes();

        entry.compact();

        assertThat(entry.frame().bytes()).as("the bytes the streams were sent").isSameAs(sent);
        assertThat(entry.event()).isEqualTo(event);
        assertThat(entry.cursor()).isEqualTo(event.getCursor());
        assertThat(entry.retracted()).isTrue();
        assertThat(entry.updated()).isFalse();
    }
}
