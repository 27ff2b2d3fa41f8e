package io.freehold.node.store;

import java.util.List;

/**
 * One undo record: before change {@code seq} of block {@code block}, the row of {@code table} with
 * {@code key} was {@code before} (all columns), or did not exist ({@code before} null).
 */
record JournalEntry(long block, int seq, StateTable<?> table, List<Object> key, Object[] before) {}
