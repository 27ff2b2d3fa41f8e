package io.freehold.node.store;

/**
 * A rollback asked for a block the store cannot return to: below the oldest journaled block, or
 * to a block whose header it no longer has. Nothing was changed. The node stops rather than guess:
 * a reorg this deep needs an operator (a resync from a snapshot older than the reorg).
 */
public final class RollbackTooDeepException extends StateStoreException {

    private final long requested;
    private final long oldestTarget;

    RollbackTooDeepException(long requested, long oldestTarget, String why) {
        super("cannot roll back to block " + requested + ": " + why
                + (oldestTarget < 0 ? "" : "; the oldest block the store can roll back to is " + oldestTarget)
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
