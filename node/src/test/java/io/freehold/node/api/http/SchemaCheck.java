package io.freehold.node.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON value (as parsed into maps, lists, strings, numbers and booleans) against an
 * OpenAPI 3 schema: the subset the node's document uses (type, properties, required,
 * additionalProperties, items, enum, pattern, $ref into components/schemas). Returns what does not
 * match, by JSON path.
 */
public final class SchemaCheck {

    private final Map<String, Object> schemas;

    @SuppressWarnings("unchecked")
    public SchemaCheck(Map<String, Object> document) {
        this.schemas =
                (Map<String, Object>)
                        ((Map<String, Object>) document.get("components")).get("schemas");
    }

    /**
     * The schema of the JSON body {@code path}'s GET operation answers with 200 in {@code
     * document}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> okSchema(Map<String, Object> document, String path) {
        Map<String, Object> operation =
                (Map<String, Object>)
                        ((Map<String, Object>)
                                        ((Map<String, Object>) document.get("paths")).get(path))
                                .get("get");
        Map<String, Object> ok =
                (Map<String, Object>) ((Map<String, Object>) operation.get("responses")).get("200");
        return (Map<String, Object>)
                ((Map<String, Object>)
                                ((Map<String, Object>) ok.get("content")).get("application/json"))
                        .get("schema");
    }

    public List<String> check(Object value, Map<String, Object> schema) {
        List<String> problems = new ArrayList<>();
        check("$", value, schema, problems);
        return problems;
    }

    @SuppressWarnings("unchecked")
    private void check(String at, Object value, Map<String, Object> schema, List<String> problems) {
        if (schema.containsKey("$ref")) {
            String ref = (String) schema.get("$ref");
            Object target = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
            if (target == null) {
                problems.add(at + ": unknown $ref " + ref);
                return;
            }
            check(at, value, (Map<String, Object>) target, problems);
            return;
        }
        String type = (String) schema.get("type");
        if (type != null) {
            boolean ok =
                    switch (type) {
                        case "object" -> value instanceof Map;
                        case "array" -> value instanceof List;
                        case "string" -> value instanceof String;
                        case "integer" -> value instanceof Integer || value instanceof Long;
                        case "number" -> value instanceof Number;
                        case "boolean" -> value instanceof Boolean;
                        default -> false;
                    };
            if (!ok) {
                problems.add(
                        at
                                + ": expected "
                                + type
                                + ", got "
                                + (value == null ? "null" : value.getClass().getSimpleName()));
                return;
            }
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            problems.add(at + ": " + value + " is not one of " + allowed);
        }
        if (schema.get("pattern") instanceof String pattern
                && value instanceof String s
                && !java.util.regex.Pattern.compile(pattern).matcher(s).find()) {
            problems.add(at + ": '" + s + "' does not match " + pattern);
        }
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> properties =
                    (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
                if (!object.containsKey(required)) {
                    problems.add(at + ": missing " + required);
                }
            }
            Object additional = schema.get("additionalProperties");
            for (Map.Entry<?, ?> e : object.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object property = properties.get(key);
                if (property != null) {
                    check(at + "." + key, e.getValue(), (Map<String, Object>) property, problems);
                } else if (Boolean.FALSE.equals(additional)) {
                    problems.add(at + ": undocumented property " + key);
                } else if (additional instanceof Map<?, ?> each) {
                    check(at + "." + key, e.getValue(), (Map<String, Object>) each, problems);
                }
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(at + "[" + i + "]", list.get(i), (Map<String, Object>) items, problems);
            }
        }
    }
}
