package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveHealthIndex;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which accounts of the followed pool are below a health factor: what the opportunities stream and
 * the liquidator ask after each step. One {@link AaveHealthIndex} per threshold asked (the pool's
 * line, 1e18, and those of the stream's subscribers), each brought forward to the book it is asked
 * about, so only the accounts whose certificate may have lapsed are valued.
 *
 * <p>The last answer per threshold is kept for its book: the follower's listener and the
 * liquidator's poll usually ask about the same one. A book older than the index's (a reader that
 * took it before the follower moved on) is answered by a scan, leaving the index where it is.
 * Thresholds other than the pool's line are kept for the {@value #THRESHOLDS} most recently asked.
 */
@Singleton
@Requires(property = "freehold.node.protocol", value = "aave-v3")
public final class AaveUnhealthyAccounts {

    static final int THRESHOLDS = 8;

    private final Map<BigInteger, Tracked> byThreshold =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<BigInteger, Tracked> eldest) {
                    return size() > THRESHOLDS;
                }
            };

    private static final class Tracked {
        final AaveHealthIndex index;

        /**
         * The book of the last answer: weak, so that a threshold nobody asks keeps no book alive.
         */
        java.lang.ref.WeakReference<AppliedAaveBook> at = new java.lang.ref.WeakReference<>(null);

        long block = -1;
        Map<Address, AccountData> below;

        Tracked(BigInteger threshold) {
            this.index = new AaveHealthIndex(threshold);
        }
    }

    /**
     * The accounts with debt whose health factor in {@code applied} is below {@code threshold}
     * (WAD), with {@code getUserAccountData}'s figures there, in address order: exactly those a
     * valuation of every account would find.
     */
    public synchronized Map<Address, AccountData> below(
            AppliedAaveBook applied, BigInteger threshold) {
        Tracked t = byThreshold.computeIfAbsent(threshold, Tracked::new);
        if (t.at.get() == applied) {
            return t.below;
        }
        if (applied.block().number() < t.block) {
            return AaveHealthIndex.scan(applied.book(), applied.block().timestamp(), threshold);
        }
        AaveHealthIndex.Step step = t.index.step(applied.book(), applied.block().timestamp());
        t.at = new java.lang.ref.WeakReference<>(applied);
        t.block = applied.block().number();
        t.below = java.util.Collections.unmodifiableMap(step.below());
        return t.below;
    }
}
