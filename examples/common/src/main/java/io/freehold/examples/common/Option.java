package io.freehold.examples.common;

import java.util.Objects;

/**
 * One command-line option of an example app, declared once: the parser reads it and the usage text
 * is written from it, so the two cannot disagree.
 *
 * @param name the option without its dashes ({@code rpc} for {@code --rpc})
 * @param valueName what the value is, shown in the usage ({@code URL}); null for a flag, which
 *     takes no value
 * @param environment the environment variable read when the option is not given; null for none
 * @param defaultValue the value when neither the option nor the variable is given; null for none
 * @param help one line for the usage text
 */
public record Option(
        String name, String valueName, String environment, String defaultValue, String help) {

    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        if (name.startsWith("-") || name.isBlank() || name.contains("=")) {
            throw new IllegalArgumentException(
                    "an option's name is given without dashes, was " + name);
        }
        if (valueName == null && (environment != null || defaultValue != null)) {
            throw new IllegalArgumentException(
                    "--" + name + " is a flag: it has no default or variable");
        }
    }

    /** An option that takes a value ({@code --name VALUE}), with a default (null for none). */
    public static Option value(String name, String valueName, String defaultValue, String help) {
        return new Option(
                name, Objects.requireNonNull(valueName, "valueName"), null, defaultValue, help);
    }

    /** A flag: present or not, no value ({@code --once}). */
    public static Option flag(String name, String help) {
        return new Option(name, null, null, null, help);
    }

    /** This option, read from an environment variable when it is not given on the command line. */
    public Option orEnvironment(String variable) {
        return new Option(name, valueName, variable, defaultValue, help);
    }

    public boolean isFlag() {
        return valueName == null;
    }

    /** How it is written in the usage: {@code --rpc URL} or {@code --once}. */
    String synopsis() {
        return isFlag() ? "--" + name : "--" + name + " " + valueName;
    }

    /** The help line with where else the value comes from: the variable and the default. */
    String description() {
        StringBuilder s = new StringBuilder(help);
        if (environment != null || defaultValue != null) {
            s.append(" (");
            if (environment != null) {
                s.append("or ").append(environment);
            }
            if (defaultValue != null) {
                s.append(environment != null ? "; " : "").append("default ").append(defaultValue);
            }
            s.append(')');
        }
        return s.toString();
    }
}
