package io.freehold.examples.demo;

import io.freehold.contracts.local.Anvil;
import java.io.IOException;
import java.util.List;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * anvil's own RPC methods the demo needs: fund an account, switch between mining modes, move time.
 */
final class AnvilControl {

    /** Any JSON-RPC result. */
    public static final class RawResponse extends Response<Object> {}

    private final HttpService http;

    AnvilControl(Anvil anvil) {
        this.http = new HttpService(anvil.rpcUrl());
    }

    /** Gives {@code address} 100 ether for gas. */
    void fund(String address) throws IOException {
        call("anvil_setBalance", address, "0x56bc75e2d63100000");
    }

    /** A block every {@code seconds} (0 stops interval mining). */
    void intervalMining(int seconds) throws IOException {
        call("evm_setIntervalMining", seconds);
    }

    /** A block per transaction, at once. */
    void automine(boolean on) throws IOException {
        call("evm_setAutomine", on);
    }

    /** Mines one block now (one second after the last). */
    void mine() throws IOException {
        call("evm_mine");
    }

    /**
     * Moves the chain's clock {@code seconds} ahead and mines a block at once, so the jump is on
     * chain (in that block's timestamp) rather than waiting for the next one.
     */
    void advanceTime(long seconds) throws IOException {
        call("evm_increaseTime", seconds);
        call("evm_mine");
    }

    private void call(String method, Object... params) throws IOException {
        RawResponse r = new Request<>(method, List.of(params), http, RawResponse.class).send();
        if (r.hasError()) {
            throw new IOException(method + " failed: " + r.getError().getMessage());
        }
    }
}
