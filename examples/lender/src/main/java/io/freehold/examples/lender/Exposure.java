package io.freehold.examples.lender;

import io.freehold.examples.common.ExampleSettings;
import io.freehold.examples.common.Format;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Market;
import io.freehold.sdk.NotFoundException;
import io.freehold.sdk.Position;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The lender's table: per market what is supplied and borrowed, the utilization and borrow rate,
 * the appraisal and how old it is, the positions by band, and the lender's own supply; then the
 * positions nearest liquidation across markets (what the lender's money is most exposed to).
 */
final class Exposure {

    static final int NEAREST = 5;

    private Exposure() {}

    static String table(
            FreeholdClient node, ExampleSettings settings, Collection<Position> atRisk) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        "%-12s %15s %15s %7s %7s %16s %9s %19s %15s%n",
                        "property",
                        "supplied",
                        "borrowed",
                        "util.",
                        "APR",
                        "appraisal",
                        "age",
                        "healthy/warn/liq",
                        "your supply"));
        for (Market m : node.markets()) {
            BigInteger mine;
            try {
                mine = node.position(m.marketId(), settings.account()).supplyAssets();
            } catch (NotFoundException e) {
                mine = BigInteger.ZERO;
            }
            b.append(
                    String.format(
                            "%-12s %15s %15s %7s %7s %16s %9s %19s %15s%n",
                            settings.property(m.marketId()),
                            Format.dollars(m.totalSupplyAssets()),
                            Format.dollars(m.totalBorrowAssets()),
                            Format.percent(m.utilization().raw()),
                            Format.percent(m.borrowApr().raw()),
                            Format.perToken(m.appraisal().price()).replace(" per token", "/token"),
                            age(m.appraisal().ageSeconds())
                                    + (m.appraisal().stale() ? " STALE" : ""),
                            m.positionsHealthy()
                                    + "/"
                                    + m.positionsWarning()
                                    + "/"
                                    + m.positionsLiquidatable(),
                            Format.dollars(mine)));
        }
        List<Position> nearest =
                atRisk.stream()
                        .sorted(Comparator.comparing(Position::healthFactor))
                        .limit(NEAREST)
                        .toList();
        b.append(String.format("%nnearest liquidation (health below 1.1): %d%n", atRisk.size()));
        for (Position p : nearest) {
            b.append(
                    String.format(
                            "  %s  %-12s health %s  debt %s  liquidation below %s%n",
                            p.account(),
                            settings.property(p.marketId()),
                            Format.health(p.healthFactor().toWad().raw(), true),
                            Format.dollars(p.debt()),
                            Format.perToken(p.liquidationPrice())));
        }
        return b.toString();
    }

    private static String age(long seconds) {
        return seconds >= 86_400
                ? seconds / 86_400 + "d"
                : seconds >= 3_600 ? seconds / 3_600 + "h" : seconds / 60 + "m";
    }
}
