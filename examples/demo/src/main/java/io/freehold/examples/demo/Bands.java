package io.freehold.examples.demo;

import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.HealthBand;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import java.util.Map;
import java.util.TreeMap;

/**
 * The borrowers' positions counted by health band, per property, as the node serves them: healthy
 * (health ≥ 1.1), warning (1.0 to 1.1), liquidatable (below 1.0), and closed (collateral locked, no
 * debt left: what a liquidation that repaid everything leaves).
 */
record Bands(Map<String, int[]> byProperty) {

    static final String[] COLUMNS = {"healthy", "warning", "liquidatable", "no debt"};

    static Bands of(FreeholdClient node, java.util.function.Function<Position, String> property) {
        Map<String, int[]> counts = new TreeMap<>();
        node.positions(PositionQuery.all())
                .filter(p -> p.collateral().signum() > 0)
                .forEach(
                        p -> {
                            int[] row =
                                    counts.computeIfAbsent(
                                            property.apply(p), k -> new int[COLUMNS.length]);
                            if (p.debt().signum() == 0) {
                                row[3]++;
                            } else if (p.band() == HealthBand.LIQUIDATABLE) {
                                row[2]++;
                            } else if (p.band() == HealthBand.WARNING) {
                                row[1]++;
                            } else {
                                row[0]++;
                            }
                        });
        return new Bands(counts);
    }

    int total(int column) {
        return byProperty.values().stream().mapToInt(r -> r[column]).sum();
    }

    /** Before and after side by side: each cell is "before -> after". */
    static String table(Bands before, Bands after) {
        StringBuilder b = new StringBuilder(String.format("      %-12s", "property"));
        for (String c : COLUMNS) {
            b.append(String.format(" %14s", c));
        }
        b.append('\n');
        for (String property : before.byProperty.keySet()) {
            int[] x = before.byProperty.get(property);
            int[] y = after.byProperty.getOrDefault(property, new int[COLUMNS.length]);
            b.append(String.format("      %-12s", property));
            for (int i = 0; i < COLUMNS.length; i++) {
                b.append(String.format(" %14s", x[i] + " -> " + y[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
