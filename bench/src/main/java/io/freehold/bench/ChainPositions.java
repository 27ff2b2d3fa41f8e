package io.freehold.bench;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Real positions in bulk: the lender supplies a few mUSD on behalf of made-up accounts in every
 * market (supplying needs no identity check), 200 supplies to a block. Cheap on chain, and each is
 * a position the node tracks, values and streams like any other.
 */
final class ChainPositions {

    private ChainPositions() {}

    static Address account(int market, int n) {
        return Address.of(String.format("0x%08x%032x", 0xC0DE0000L + market, n));
    }

    /**
     * {@code perMarket} supply positions in each of the deployment's markets; returns when all are
     * mined.
     */
    static void create(LocalNode node, int perMarket) throws Exception {
        Credentials lender = node.anvil.credentials(1);
        MockStablecoin.load(
                        node.deployment.stablecoin(),
                        node.anvil.web3j(),
                        node.anvil.transactionManager(lender),
                        LocalSystem.GAS)
                .approve(node.deployment.lendingPool(), Uint256.MAX)
                .send();
        LendingPool pool = LocalSystem.pool(node.anvil, node.deployment, lender);
        node.chain.call("evm_setAutomine", false);
        try {
            long nonce = node.chain.pendingNonce(lender);
            int market = 0;
            for (var m : node.deployment.markets().values()) {
                byte[] id = Numeric.hexStringToByteArray(m.id());
                for (int from = 0; from < perMarket; from += 200) {
                    List<String> data = new ArrayList<>();
                    for (int i = from; i < Math.min(perMarket, from + 200); i++) {
                        data.add(
                                pool.supply(
                                                id,
                                                LocalSystem.usd(5).add(BigInteger.valueOf(i)),
                                                account(market, i).hex())
                                        .encodeFunctionCall());
                    }
                    nonce =
                            node.chain.sendAll(
                                    lender, nonce, node.deployment.lendingPool(), data, 300_000);
                    node.chain.mine();
                }
                market++;
            }
        } finally {
            node.chain.call("evm_setAutomine", true);
        }
    }
}
