package io.freehold.aave.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * One compiled contract of {@code @aave/core-v3} (a Hardhat artifact the build copies into this jar
 * under {@code aave-v3/}): its creation code, with the external libraries it calls linked in.
 */
final class AaveArtifact {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String bytecode; // hex without 0x; library placeholders until linked
    private final JsonNode linkReferences;

    private AaveArtifact(String name, String bytecode, JsonNode linkReferences) {
        this.name = name;
        this.bytecode = bytecode;
        this.linkReferences = linkReferences;
    }

    /**
     * The artifact at {@code path} under {@code artifacts/contracts/} in the npm package, e.g.
     * {@code "protocol/pool/Pool.sol/Pool"}.
     */
    static AaveArtifact load(String path) {
        String resource = "/aave-v3/" + path + ".json";
        try (InputStream in = AaveArtifact.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        resource
                                + " is not on the classpath: build the aave module (npm ci brings"
                                + " @aave/core-v3)");
            }
            JsonNode artifact = JSON.readTree(in);
            String code = artifact.get("bytecode").asText();
            return new AaveArtifact(
                    artifact.get("contractName").asText(),
                    code.startsWith("0x") ? code.substring(2) : code,
                    artifact.get("linkReferences"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    String name() {
        return name;
    }

    /**
     * The creation code with each library's address written where the compiler left its placeholder
     * (the artifact's {@code linkReferences}: byte offsets into the creation code).
     *
     * @param libraries library name to its deployed address
     * @throws IllegalStateException if the contract needs a library not given
     */
    String linkedBytecode(Map<String, String> libraries) {
        StringBuilder code = new StringBuilder(bytecode);
        for (Iterator<JsonNode> files = linkReferences.elements(); files.hasNext(); ) {
            JsonNode file = files.next();
            for (Iterator<Map.Entry<String, JsonNode>> libs = file.fields(); libs.hasNext(); ) {
                Map.Entry<String, JsonNode> lib = libs.next();
                String address = libraries.get(lib.getKey());
                if (address == null) {
                    throw new IllegalStateException(
                            name + " needs library " + lib.getKey() + ", which was not deployed");
                }
                String hex = address.substring(2).toLowerCase(java.util.Locale.ROOT);
                for (JsonNode ref : lib.getValue()) {
                    int start = ref.get("start").asInt() * 2;
                    code.replace(start, start + 40, hex);
                }
            }
        }
        if (code.indexOf("__") >= 0) {
            throw new IllegalStateException(name + " still has an unlinked library placeholder");
        }
        return code.toString();
    }
}
