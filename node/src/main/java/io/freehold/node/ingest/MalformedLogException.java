package io.freehold.node.ingest;

import org.web3j.protocol.core.methods.response.Log;

/**
 * A log from a contract the node trusts did not decode with that contract's ABI. The node stops
 * rather than skip it: a skipped log is a position that silently differs from the chain.
 */
public final class MalformedLogException extends RuntimeException {

    public MalformedLogException(Log log, RuntimeException cause) {
        super(
                "log "
                        + log.getLogIndexRaw()
                        + " of block "
                        + log.getBlockNumberRaw()
                        + " from "
                        + log.getAddress()
                        + " (topic "
                        + log.getTopics().get(0)
                        + ") does not decode: "
                        + cause.getMessage()
                        + "; check that freehold.node's contract addresses are Freehold contracts of this version",
                cause);
    }
}
