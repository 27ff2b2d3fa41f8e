package io.freehold.examples.common;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A command line read by {@link CommandLine#parse}: the words (the command and its operands) and
 * the options, each resolved from the command line, then its environment variable, then its
 * default.
 */
public final class Args {

    private final List<String> words;
    private final Map<String, String> given;
    private final Map<String, String> env;
    private final Map<String, Option> declared;
    private final boolean help;

    Args(
            List<String> words,
            Map<String, String> given,
            Map<String, String> env,
            Map<String, Option> declared,
            boolean help) {
        this.words = List.copyOf(words);
        this.given = Map.copyOf(given);
        this.env = Map.copyOf(env);
        this.declared = Map.copyOf(declared);
        this.help = help;
    }

    /** The command and its operands, in order. */
    public List<String> words() {
        return words;
    }

    /** {@code -h} or {@code --help} was given: print the usage and exit 0. */
    public boolean help() {
        return help;
    }

    /** Whether a flag was given. */
    public boolean has(String flag) {
        Option o = declared(flag);
        if (!o.isFlag()) {
            throw new IllegalStateException("--" + flag + " takes a value; read it with get");
        }
        return given.containsKey(flag);
    }

    /**
     * Whether the option was given on the command line (not taken from a variable or a default).
     */
    public boolean given(String option) {
        declared(option);
        return given.containsKey(option);
    }

    /**
     * The option's value: given, else its environment variable, else its default; null if none of
     * them.
     */
    public String get(String option) {
        Option o = declared(option);
        if (o.isFlag()) {
            throw new IllegalStateException("--" + option + " is a flag; read it with has");
        }
        if (given.containsKey(option)) {
            return given.get(option);
        }
        if (o.environment() != null && env.get(o.environment()) != null) {
            return env.get(o.environment());
        }
        return o.defaultValue();
    }

    /**
     * The option's value read by {@code parse}, or null when it has none.
     *
     * @throws UsageException if {@code parse} refuses the value; the message names the option (or
     *     the variable it came from) and the value
     */
    public <T> T get(String option, Function<String, T> parse) {
        String text = get(option);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (RuntimeException e) {
            Option o = declared(option);
            String source =
                    given.containsKey(option)
                                    || o.environment() == null
                                    || env.get(o.environment()) == null
                            ? "--" + option
                            : o.environment();
            String why =
                    e.getMessage() == null || e instanceof NumberFormatException
                            ? "'" + text + "' is not a valid " + o.valueName()
                            : e.getMessage();
            throw new UsageException(source + ": " + why, e);
        }
    }

    private Option declared(String name) {
        Option o = declared.get(name);
        if (o == null) {
            throw new IllegalStateException(
                    "--" + name + " is not declared"); // a bug in the app, not bad input
        }
        return o;
    }
}
