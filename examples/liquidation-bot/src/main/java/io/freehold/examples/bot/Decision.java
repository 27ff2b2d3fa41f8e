package io.freehold.examples.bot;

import io.freehold.sdk.Opportunity;
import java.math.BigInteger;

/**
 * Whether the bot liquidates an opportunity, and why not when it does not: every rule here is cheap
 * and local; the chain's own check (the SDK simulates the liquidation before sending) comes after.
 *
 * @param act liquidate it
 * @param reason why not, for the report
 */
record Decision(boolean act, String reason) {

    static Decision decide(Opportunity o, BotState state, boolean compete, BigInteger minProfit) {
        if (!o.liquidatable()) {
            return new Decision(false, "not liquidatable yet");
        }
        var done = state.acted(key(o));
        if (done.isPresent() && !done.get().equals(BotState.SENDING)) {
            return new Decision(false, "already liquidated by this bot in " + done.get());
        }
        if (o.nodeWillAct() && !compete) {
            return new Decision(false, "the node will act on it (run with --compete to race it)");
        }
        if (o.expectedIncentive().compareTo(minProfit) < 0) {
            return new Decision(
                    false, "expected incentive " + o.expectedIncentive() + " below --min-profit");
        }
        return new Decision(true, "");
    }

    /**
     * The opportunity's identity: the position at its current borrow shares. A "sending" entry for
     * the same key (a crash between sending and recording) allows one retry: the shares have not
     * changed, so the earlier transaction did not land.
     */
    static String key(Opportunity o) {
        return o.position().marketId()
                + "/"
                + o.position().account().toString().toLowerCase()
                + "/"
                + o.position().borrowShares();
    }
}
