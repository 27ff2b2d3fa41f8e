package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Results as a console table, as JSON (for tools) and as a markdown fragment (for
 * docs/BENCHMARKS.md).
 */
final class ResultWriter {

    private ResultWriter() {}

    static String table(Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n== %s: %s (%.0f s)%n", r.name, r.title, r.seconds));
        s.append(
                String.format(
                        Locale.ROOT,
                        "  %-58s %14s %-10s | %-40s %14s | %8s%n",
                        "figure",
                        "value",
                        "unit",
                        "baseline",
                        "value",
                        "ratio"));
        for (Result.Figure f : r.figures) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "  %-58s %14s %-10s | %-40s %14s | %8s%n",
                            f.what(),
                            Result.number(f.value()),
                            f.unit(),
                            f.baseline(),
                            Result.number(f.baselineValue()),
                            Result.number(f.ratio())));
        }
        r.notes.forEach(n -> s.append("  - ").append(n).append('\n'));
        return s.toString();
    }

    static void write(List<Result> results, boolean quick, Path out) throws IOException {
        Files.writeString(out.resolve("results.json"), json(results, quick));
        Files.writeString(out.resolve("results.md"), markdown(results, quick));
    }

    static String markdown(List<Result> results, boolean quick) {
        StringBuilder s = new StringBuilder();
        s.append("<!-- ")
                .append(quick ? "quick" : "full")
                .append(" run, ")
                .append(Instant.now())
                .append(" -->\n");
        for (Result r : results) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%n### %s (`./bench.sh %s`, %.0f s)%n%n",
                            r.title,
                            r.name,
                            r.seconds));
            s.append(
                    "| figure | value | baseline (same run) | baseline value | ratio |\n|---|---|---|---|---|\n");
            for (Result.Figure f : r.figures) {
                s.append("| ")
                        .append(f.what())
                        .append(" | ")
                        .append(Result.number(f.value()))
                        .append(' ')
                        .append(f.unit())
                        .append(" | ")
                        .append(f.baseline())
                        .append(" | ")
                        .append(Result.number(f.baselineValue()))
                        .append(Double.isNaN(f.baselineValue()) ? "" : " " + f.unit())
                        .append(" | ")
                        .append(Result.number(f.ratio()))
                        .append(" |\n");
            }
            r.notes.forEach(n -> s.append("\n- ").append(n));
            s.append('\n');
        }
        return s.toString();
    }

    static String json(List<Result> results, boolean quick) {
        StringBuilder s =
                new StringBuilder("{\"mode\":\"")
                        .append(quick ? "quick" : "full")
                        .append("\",\"at\":\"")
                        .append(Instant.now())
                        .append("\",\"benchmarks\":[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            s.append(i == 0 ? "" : ",")
                    .append("\n{\"name\":")
                    .append(str(r.name))
                    .append(",\"title\":")
                    .append(str(r.title))
                    .append(",\"seconds\":")
                    .append(num(r.seconds))
                    .append(",\"figures\":[");
            for (int j = 0; j < r.figures.size(); j++) {
                Result.Figure f = r.figures.get(j);
                s.append(j == 0 ? "" : ",")
                        .append("{\"what\":")
                        .append(str(f.what()))
                        .append(",\"value\":")
                        .append(num(f.value()))
                        .append(",\"unit\":")
                        .append(str(f.unit()))
                        .append(",\"baseline\":")
                        .append(str(f.baseline()))
                        .append(",\"baselineValue\":")
                        .append(num(f.baselineValue()))
                        .append(",\"ratio\":")
                        .append(num(f.ratio()))
                        .append('}');
            }
            s.append("],\"facts\":{");
            int k = 0;
            for (Map.Entry<String, Double> e : r.facts.entrySet()) {
                s.append(k++ == 0 ? "" : ",")
                        .append(str(e.getKey()))
                        .append(':')
                        .append(num(e.getValue()));
            }
            s.append("},\"notes\":[");
            for (int j = 0; j < r.notes.size(); j++) {
                s.append(j == 0 ? "" : ",").append(str(r.notes.get(j)));
            }
            s.append("]}");
        }
        return s.append("\n]}\n").toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v)
                ? "null"
                : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String str(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default ->
                        s.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return s.append('"').toString();
    }
}
