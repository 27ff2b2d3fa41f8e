package io.freehold.examples.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An example app's command line, declared once: its commands, its options ({@link Option}: name,
 * value or flag, default, help) and a closing note. {@link #parse} reads arguments against the
 * declaration and {@link #usage} prints it, so what the app accepts and what its usage says are the
 * same list.
 *
 * <p>Options are {@code --name value}, {@code --name=value} or, for a flag, {@code --name}; they
 * may come before, between or after the words (the command and its operands); {@code --} ends the
 * options. An option that is not declared is refused (a typo such as {@code --rcp} must not
 * silently fall back to a default), and so is a value option without its value, a flag given a
 * value and an option given twice. {@code -h} and {@code --help} ask for the usage. A word that
 * starts with one dash and a digit ({@code -5}) is a word, so that the app can refuse a negative
 * amount itself.
 */
public final class CommandLine {

    private static final Option HELP = Option.flag("help", "this text");

    private final String synopsis;
    private final List<String[]> commands;
    private final Map<String, Option> options;
    private final List<String> notes;

    private CommandLine(Builder b) {
        this.synopsis = b.synopsis;
        this.commands = List.copyOf(b.commands);
        this.options = new LinkedHashMap<>(b.options);
        this.notes = List.copyOf(b.notes);
    }

    /**
     * @param synopsis how the app is called, e.g. {@code run.sh <command> [options]}
     */
    public static Builder builder(String synopsis) {
        return new Builder(synopsis);
    }

    /**
     * Reads the arguments against the declaration.
     *
     * @param env the environment, for the options declared with a variable
     * @throws UsageException if an argument is not what the declaration allows (the message says
     *     which)
     */
    public Args parse(String[] args, Map<String, String> env) {
        List<String> words = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        boolean help = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !isOption(arg)) {
                words.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name =
                    arg.startsWith("--")
                            ? arg.substring(2, eq < 0 ? arg.length() : eq)
                            : arg.substring(1);
            Option option = options.get(name);
            if (option == null || !arg.startsWith("--")) {
                throw new UsageException(
                        "unknown option "
                                + (eq < 0 ? arg : arg.substring(0, eq))
                                + suggestion(name));
            }
            if (given.containsKey(name)) {
                throw new UsageException("--" + name + " is given twice");
            }
            if (option.isFlag()) {
                if (eq >= 0) {
                    throw new UsageException("--" + name + " is a flag: it takes no value");
                }
                given.put(name, "true");
            } else if (eq >= 0) {
                given.put(name, arg.substring(eq + 1));
            } else if (i + 1 < args.length && !isOption(args[i + 1])) {
                given.put(name, args[++i]);
            } else {
                throw new UsageException(
                        "--" + name + " needs a value (" + option.valueName() + ")");
            }
        }
        if (commands.isEmpty() && !words.isEmpty() && !help) {
            throw new UsageException(
                    "unexpected argument " + words.get(0) + ": this app takes options only");
        }
        return new Args(words, given, env, options, help);
    }

    /** The usage text, written from the declaration. */
    public String usage() {
        StringBuilder s = new StringBuilder("usage: ").append(synopsis).append('\n');
        List<String[]> optionRows = new ArrayList<>();
        for (Option o : options.values()) {
            optionRows.add(new String[] {o.synopsis(), o.description()});
        }
        optionRows.add(new String[] {"-h, " + HELP.synopsis(), HELP.description()});
        int width = 0;
        for (String[] row : commands) {
            width = Math.max(width, row[0].length());
        }
        for (String[] row : optionRows) {
            width = Math.max(width, row[0].length());
        }
        for (String[] row : commands) {
            s.append(String.format("  %-" + width + "s  %s%n", row[0], row[1]));
        }
        s.append("options:\n");
        for (String[] row : optionRows) {
            s.append(String.format("  %-" + width + "s  %s%n", row[0], row[1]));
        }
        for (String note : notes) {
            s.append(note).append('\n');
        }
        return s.toString().stripTrailing();
    }

    /** The declared options, in the order of the usage. */
    public Collection<Option> options() {
        return List.copyOf(options.values());
    }

    /**
     * {@code --x}, {@code -x}, but not {@code -5} (a negative number is a word) nor a lone {@code
     * -}.
     */
    private static boolean isOption(String arg) {
        return arg.startsWith("--")
                || (arg.length() > 1
                        && arg.charAt(0) == '-'
                        && !Character.isDigit(arg.charAt(1))
                        && arg.charAt(1) != '.');
    }

    /** " (did you mean --rpc?)" for a name one or two edits from a declared one. */
    private String suggestion(String name) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : options.keySet()) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean --" + best + "?)";
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of
     * neighbours.
     */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    public static final class Builder {
        private final String synopsis;
        private final List<String[]> commands = new ArrayList<>();
        private final Map<String, Option> options = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(String synopsis) {
            this.synopsis = synopsis;
        }

        /**
         * A command the app takes as its first word (the app checks the words; this is for the
         * usage). An app that declares no command takes no words at all.
         */
        public Builder command(String synopsis, String help) {
            commands.add(new String[] {synopsis, help});
            return this;
        }

        public Builder option(Option option) {
            if (option.name().equals(HELP.name())
                    || options.putIfAbsent(option.name(), option) != null) {
                throw new IllegalArgumentException("--" + option.name() + " is declared twice");
            }
            return this;
        }

        public Builder options(Collection<Option> options) {
            options.forEach(this::option);
            return this;
        }

        /** A line printed after the options (where the key comes from, say). */
        public Builder note(String line) {
            notes.add(line);
            return this;
        }

        public CommandLine build() {
            return new CommandLine(this);
        }
    }
}
