package io.freehold.node.aave;

import io.freehold.node.chain.ChainRpc;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.LiquidatorRpc.CallResult;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.methods.response.EthGetCode;

/**
 * Checks at start that {@code freehold.node.aave.*} names an Aave v3 market the node can follow,
 * with views only ({@code eth_call} at the head, through the node's one RPC layer): the addresses
 * provider has code and names a pool, configurator and oracle; the pool and the oracle answer for
 * that provider (so a pool or oracle of another market is refused by name); the pool lists its
 * reserves; no reserve has stable-rate borrowing on or stable debt outstanding (the book refuses
 * stable debt: refused here rather than at the first stable borrow); the start block is not past
 * the head.
 */
public final class AaveMarketCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AaveMarketCheck.class);

    /** Who the views are called from: any address will do for a view. */
    private static final Address CALLER = Address.ZERO;

    /** {@code ReserveConfiguration}'s STABLE_BORROWING_ENABLED bit. */
    private static final int STABLE_BORROWING_BIT = 59;

    private final ChainRpc chain;
    private final LiquidatorRpc calls;

    public AaveMarketCheck(ChainRpc chain) {
        this.chain = chain;
        this.calls = new LiquidatorRpc(chain);
    }

    /**
     * The market's contracts, or a refusal naming what is wrong.
     *
     * @throws AaveMarketRefusedException naming the setting or the feature
     */
    public AaveMarketContracts check(AaveConfiguration config) {
        long head = chain.head();
        Address provider =
                address(config.addressesProvider(), "addresses-provider")
                        .orElseThrow(
                                () ->
                                        refused(
                                                "freehold.node.aave.addresses-provider is required"
                                                        + " with freehold.node.protocol=aave-v3 (the"
                                                        + " market's PoolAddressesProvider)"));
        if (config.startBlock() == null) {
            throw refused(
                    "freehold.node.aave.start-block is required with freehold.node.protocol=aave-v3"
                            + " (a block at or before the market's deployment)");
        }
        long startBlock = config.startBlock();
        if (startBlock < 0 || startBlock > head) {
            throw refused(
                    "freehold.node.aave.start-block "
                            + startBlock
                            + " is not between 0 and the chain's head "
                            + head);
        }
        requireCode(provider, "addresses-provider", head);
        Address pool = addressView(provider, "getPool", "addresses-provider", head);
        Address configurator =
                addressView(provider, "getPoolConfigurator", "addresses-provider", head);
        Address oracle = addressView(provider, "getPriceOracle", "addresses-provider", head);
        requireSame(config.poolOverride(), "pool", pool, "getPool()", provider);
        requireSame(config.oracleOverride(), "oracle", oracle, "getPriceOracle()", provider);
        requireCode(pool, "pool (the provider's getPool())", head);
        requireCode(configurator, "pool configurator (the provider's getPoolConfigurator())", head);
        requireCode(oracle, "oracle (the provider's getPriceOracle())", head);
        requireAnswersFor(pool, "pool", provider, head);
        requireAnswersFor(oracle, "oracle", provider, head);
        Optional<Address> dataProvider = address(config.dataProvider(), "data-provider");
        if (dataProvider.isPresent()) {
            requireCode(dataProvider.get(), "data-provider", head);
            requireAnswersFor(dataProvider.get(), "data-provider", provider, head);
        }
        List<Address> reserves = reservesList(pool, head);
        for (Address asset : reserves) {
            refuseStableDebt(pool, asset, head);
        }
        long revision = uint(pool, "POOL_REVISION", "pool", head).longValueExact();
        Address fallback = addressView(oracle, "getFallbackOracle", "oracle", head);
        if (!fallback.equals(Address.ZERO)) {
            LOG.warn(
                    "the oracle {} has a fallback oracle {}; the node does not follow it and stops"
                            + " if a price would come from it",
                    oracle,
                    fallback);
        }
        LOG.info(
                "Aave v3 market: provider {}, pool {} (revision {}), configurator {}, oracle {}, {}"
                        + " reserve(s), from block {}",
                provider,
                pool,
                revision,
                configurator,
                oracle,
                reserves.size(),
                startBlock);
        return new AaveMarketContracts(
                provider, pool, configurator, oracle, dataProvider, reserves, startBlock, revision);
    }

    private static Optional<Address> address(String value, String key) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.fromHex(value.trim()));
        } catch (IllegalArgumentException e) {
            throw refused("freehold.node.aave." + key + " is not an address: " + e.getMessage());
        }
    }

    private void requireCode(Address contract, String what, long head) {
        EthGetCode code =
                chain.request(
                        "eth_getCode",
                        List.of(contract.hex(), "0x" + Long.toHexString(head)),
                        EthGetCode.class,
                        head,
                        e -> false);
        String bytes = code.getCode();
        if (bytes == null || bytes.equals("0x") || bytes.isEmpty()) {
            throw refused(
                    "freehold.node.aave."
                            + what
                            + " "
                            + contract
                            + " has no code at block "
                            + head
                            + ": not a contract on this chain");
        }
    }

    private void requireSame(
            Optional<String> configured,
            String key,
            Address actual,
            String view,
            Address provider) {
        Optional<Address> set = address(configured.orElse(null), key);
        if (set.isPresent() && !set.get().equals(actual)) {
            throw refused(
                    "freehold.node.aave."
                            + key
                            + " "
                            + set.get()
                            + " is not the market's: the addresses provider "
                            + provider
                            + " answers "
                            + view
                            + " = "
                            + actual);
        }
    }

    /** {@code contract.ADDRESSES_PROVIDER()} must be the configured provider. */
    private void requireAnswersFor(Address contract, String key, Address provider, long head) {
        Address answered = addressView(contract, "ADDRESSES_PROVIDER", key, head);
        if (!answered.equals(provider)) {
            throw refused(
                    "freehold.node.aave."
                            + key
                            + " "
                            + contract
                            + " belongs to another market: its ADDRESSES_PROVIDER() is "
                            + answered
                            + ", not freehold.node.aave.addresses-provider "
                            + provider);
        }
    }

    private List<Address> reservesList(Address pool, long head) {
        Function f =
                new Function(
                        "getReservesList",
                        List.of(),
                        List.of(
                                new TypeReference<
                                        DynamicArray<org.web3j.abi.datatypes.Address>>() {}));
        List<Type> out = decode(call(pool, f, "pool", head), f, pool, "pool");
        List<Address> reserves = new ArrayList<>();
        for (Object a : ((DynamicArray<?>) out.get(0)).getValue()) {
            reserves.add(Address.of(((org.web3j.abi.datatypes.Address) a).getValue()));
        }
        return reserves;
    }

    /**
     * {@code getReserveData(asset)}: a static struct, so its answer is 15 words; word 0 is the
     * configuration, word 9 the stable debt token.
     */
    private void refuseStableDebt(Address pool, Address asset, long head) {
        String data =
                call(
                        pool,
                        new Function(
                                "getReserveData",
                                List.of(new org.web3j.abi.datatypes.Address(asset.hex())),
                                List.of()),
                        "pool",
                        head);
        BigInteger configuration = word(data, 0, pool, "getReserveData");
        if (configuration.testBit(STABLE_BORROWING_BIT)) {
            throw refused(
                    "unsupported feature: stable-rate debt. Reserve "
                            + asset
                            + " of pool "
                            + pool
                            + " has stable-rate borrowing enabled (configuration bit 59,"
                            + " STABLE_BORROWING_ENABLED); the node follows variable-rate debt"
                            + " only");
        }
        Address stableDebtToken =
                Address.of("0x" + word(data, 9, pool, "getReserveData").toString(16));
        if (!stableDebtToken.equals(Address.ZERO)) {
            BigInteger outstanding = uint(stableDebtToken, "totalSupply", "pool", head);
            if (outstanding.signum() != 0) {
                throw refused(
                        "unsupported feature: stable-rate debt. Reserve "
                                + asset
                                + " of pool "
                                + pool
                                + " has "
                                + outstanding
                                + " of stable-rate debt outstanding (token "
                                + stableDebtToken
                                + "); the node follows variable-rate debt only");
            }
        }
    }

    private Address addressView(Address contract, String view, String key, long head) {
        Function f =
                new Function(
                        view,
                        List.of(),
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}));
        List<Type> out = decode(call(contract, f, key, head), f, contract, key);
        return Address.of(((org.web3j.abi.datatypes.Address) out.get(0)).getValue());
    }

    private BigInteger uint(Address contract, String view, String key, long head) {
        return word(
                call(contract, new Function(view, List.of(), List.of()), key, head),
                0,
                contract,
                view);
    }

    private String call(Address contract, Function f, String key, long head) {
        CallResult result = calls.call(CALLER, contract, FunctionEncoder.encode(f), head);
        if (result.reverted() || result.returnData() == null || result.returnData().equals("0x")) {
            throw refused(
                    "freehold.node.aave."
                            + key
                            + " "
                            + contract
                            + " does not answer as an Aave v3 "
                            + key
                            + ": "
                            + f.getName()
                            + "() "
                            + (result.reverted()
                                    ? "reverted (" + result.message() + ")"
                                    : "returned nothing"));
        }
        return result.returnData();
    }

    @SuppressWarnings("rawtypes")
    private static List<Type> decode(String data, Function f, Address contract, String key) {
        List<Type> out = FunctionReturnDecoder.decode(data, f.getOutputParameters());
        if (out.isEmpty()) {
            throw refused(
                    "freehold.node.aave."
                            + key
                            + " "
                            + contract
                            + " does not answer as an Aave v3 "
                            + key
                            + ": "
                            + f.getName()
                            + "() returned "
                            + data);
        }
        return out;
    }

    private static BigInteger word(String data, int i, Address contract, String view) {
        int from = 2 + 64 * i;
        if (data.length() < from + 64) {
            throw refused(
                    contract
                            + " does not answer as an Aave v3 contract: "
                            + view
                            + "() returned "
                            + data);
        }
        return new BigInteger(data.substring(from, from + 64), 16);
    }

    private static AaveMarketRefusedException refused(String message) {
        return new AaveMarketRefusedException(message);
    }
}
