package io.freehold.node.risk;

import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One market's risk as of one block: its appraisal and how old it is, whether the node may
 * liquidate in it, and how many borrowers are in each band.
 *
 * @param price the oracle's latest price (PRICE_SCALE 1e36), 0 if none
 * @param priceUpdatedAt unix seconds of that appraisal
 * @param priceMaxAge seconds the appraisal stays fresh (the feed's {@code maxAge})
 * @param appraisalAgeSeconds how old the appraisal is at {@code asOf}
 * @param ageHaircutBps the informational discount for that age ({@link AppraisalHaircut})
 * @param haircutPrice the price less that discount
 * @param stale whether {@code AppraisalOracle.isStale} answers true at {@code asOf} (no price, or
 *     older than maxAge)
 * @param paused whether the property token is paused
 * @param flags why the node will not liquidate here, each with a sentence for operators; empty when
 *     it may
 * @param borrowers positions with debt, by band
 * @param asOf the block the numbers are for
 * @param unconfirmedSince the newest block not yet final that changed the market's totals, its
 *     price or its token's flags; empty when all of it is final
 * @param record the stored market these figures were computed from, of block {@code asOf}: a reader
 *     that shows totals next to them takes this one, not the follower's newest (which may be a
 *     block ahead, since the engine hears of a step after it is applied)
 */
public record MarketRisk(
        MarketId marketId,
        Address collateralToken,
        Address loanToken,
        BigInteger lltv,
        BigInteger price,
        long priceUpdatedAt,
        BigInteger priceMaxAge,
        long appraisalAgeSeconds,
        long ageHaircutBps,
        BigInteger haircutPrice,
        boolean stale,
        boolean paused,
        Map<MarketFlag, String> flags,
        Map<HealthBand, Integer> borrowers,
        Checkpoint asOf,
        OptionalLong unconfirmedSince,
        MarketRecord record) {

    public MarketRisk {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(record, "record");
        flags = flags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(flags));
        EnumMap<HealthBand, Integer> counts = new EnumMap<>(HealthBand.class);
        for (HealthBand band : HealthBand.values()) {
            counts.put(band, borrowers.getOrDefault(band, 0));
        }
        borrowers = Collections.unmodifiableMap(counts);
    }

    /** Whether the node refuses to liquidate here ({@link #flags} says why). */
    public boolean flagged() {
        return !flags.isEmpty();
    }
}
