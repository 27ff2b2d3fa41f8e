package io.freehold.node.aave;

/** Hears of each step of the {@link AaveFollower} that changed the applied book. */
@FunctionalInterface
public interface AaveStepListener {

    /**
     * @param result {@code APPLIED}, {@code REORGED} (the book went back to {@code applied}'s
     *     block) or {@code RESYNCED} (the book was cleared to read from the start)
     * @param before the applied block before the step
     * @param applied the book after the step; null after a resync, until a block is applied again
     */
    void applied(AaveFollower.StepResult result, long before, AppliedAaveBook applied);
}
