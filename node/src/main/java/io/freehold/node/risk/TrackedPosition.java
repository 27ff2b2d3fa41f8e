package io.freehold.node.risk;

import io.freehold.node.state.PositionRecord;

/**
 * What the engine keeps of one position between steps: the record as stored, its band at the
 * engine's current conditions, and the newest unconfirmed block that changed it (-1: none).
 * Immutable, replaced whole, so readers never see half of an update.
 */
record TrackedPosition(PositionRecord position, HealthBand band, long unconfirmedBlock) {

    boolean borrows() {
        return position.borrowShares().signum() != 0;
    }

    TrackedPosition withBand(HealthBand value) {
        return new TrackedPosition(position, value, unconfirmedBlock);
    }

    TrackedPosition withUnconfirmedBlock(long value) {
        return new TrackedPosition(position, band, value);
    }
}
