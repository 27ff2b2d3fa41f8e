package io.freehold.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark measured: figures, each with the baseline it is read against, and notes
 * (sizes, load, anything needed to read the figures). Printed as a table and written as JSON and a
 * markdown fragment.
 */
final class Result {

    /**
     * One figure. {@code baselineValue} is NaN when the figure stands alone (a count, a
     * distribution); {@code ratio} is then NaN too.
     */
    record Figure(
            String what,
            double value,
            String unit,
            String baseline,
            double baselineValue,
            double ratio) {}

    final String name;
    final String title;
    final List<Figure> figures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    /**
     * Raw numbers for the quick test and for anyone re-deriving a figure (counts, sizes, samples).
     */
    final Map<String, Double> facts = new LinkedHashMap<>();

    double seconds;

    Result(String name, String title) {
        this.name = name;
        this.title = title;
    }

    /** A figure with its baseline; the ratio is figure ÷ baseline. */
    Result figure(String what, double value, String unit, String baseline, double baselineValue) {
        figures.add(new Figure(what, value, unit, baseline, baselineValue, value / baselineValue));
        return this;
    }

    /** A figure read on its own (a distribution, a count, a target check). */
    Result figure(String what, double value, String unit) {
        figures.add(new Figure(what, value, unit, "", Double.NaN, Double.NaN));
        return this;
    }

    Result note(String format, Object... args) {
        notes.add(String.format(Locale.ROOT, format, args));
        return this;
    }

    Result fact(String key, double value) {
        facts.put(key, value);
        return this;
    }

    double fact(String key) {
        Double v = facts.get(key);
        if (v == null) {
            throw new IllegalStateException(name + ": no fact " + key);
        }
        return v;
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return "∞";
        }
        double a = Math.abs(v);
        if (a != 0 && a < 0.01) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        if (a < 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a < 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
