package io.freehold.examples.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An example app's command line: words (the command and its operands) and options, each {@code --name value}
 * except the named switches, which take no value ({@code --once}, {@code --compete}).
 *
 * @param words the command and its operands, in order
 * @param options option name (without dashes) to value; a switch maps to "true"
 */
public record Args(List<String> words, Map<String, String> options) {

    public static Args parse(String[] args, Set<String> switches) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name != null && switches.contains(name)) {
                options.put(name, "true");
            } else if (name != null && i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                words.add(args[i]);
            }
        }
        return new Args(List.copyOf(words), Map.copyOf(options));
    }

    public boolean has(String option) {
        return options.containsKey(option);
    }
}
