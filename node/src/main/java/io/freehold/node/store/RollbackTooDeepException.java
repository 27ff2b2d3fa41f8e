package io.freehold.node.store;

/**
 * A rollback asked for a block the store cannot return to: below the oldest journaled block, or to
 * a block whose header it no longer has. Nothing was changed. A reorg this deep cannot be undone
 * from the journal: the node resyncs from the start block ({@link StateStore#clear}) or stops, as
 * configured.
 */
public final class RollbackTooDeepException extends StateStoreException {

    private final long requested;
    private final long oldestTarget;

    RollbackTooDeepException(long requested, long oldestTarget, String why) {
        super(
                "cannot roll back to block "
                        + requested
                        + ": "
                        + why
                        + (oldestTarget < 0
                                ? ""
                                : "; the oldest block the store can roll back to is "
                                        + oldestTarget)
                        + ". A reorg deeper than the unconfirmed window needs a resync; nothing was changed");
        this.requested = requested;
        this.oldestTarget = oldestTarget;
    }

    /** The block the rollback asked for. */
    public long requested() {
        return requested;
    }

    /** The oldest block a rollback can reach now, or -1 if none. */
    public long oldestTarget() {
        return oldestTarget;
    }
}
