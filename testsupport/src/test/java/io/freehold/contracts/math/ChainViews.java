package io.freehold.contracts.math;

import io.freehold.contracts.generated.LendingPool;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * Every view the differential test compares, read at one block in one JSON-RPC batch (a few hundred
 * {@code eth_call}s per step would otherwise dominate the run time).
 */
final class ChainViews {

    /** What the chain says at one block. Position maps are keyed by {@link PoolMirror#key}. */
    record Snapshot(
            Map<String, LendingPool.Market> markets,
            Map<String, BigInteger> borrowRates,
            Map<String, LendingPool.PositionView> positions,
            Map<String, LendingPool.Position> stored,
            Map<String, Boolean> liquidatable,
            Map<String, BigInteger> rentIndex,
            Map<String, BigInteger> totalCollateralOf,
            Map<String, BigInteger> poolClaimableFromToken) {}

    private record Call(String to, Function function, Consumer<List<Type>> sink) {}

    private ChainViews() {}

    static Snapshot read(ChainFixture chain, BigInteger block, List<String> accounts)
            throws IOException {
        Snapshot s =
                new Snapshot(
                        new HashMap<>(),
                        new HashMap<>(),
                        new HashMap<>(),
                        new HashMap<>(),
                        new HashMap<>(),
                        new HashMap<>(),
                        new HashMap<>(),
                        new HashMap<>());
        String pool = chain.deployment.lendingPool();
        List<Call> calls = new ArrayList<>();
        for (ChainFixture.MarketRef m : chain.markets) {
            Bytes32 id = new Bytes32(m.id());
            calls.add(
                    new Call(
                            pool,
                            fn("market", List.of(id), new TypeReference<LendingPool.Market>() {}),
                            r -> s.markets().put(m.idHex(), (LendingPool.Market) r.get(0))));
            calls.add(
                    new Call(
                            pool,
                            fn("borrowRate", List.of(id), new TypeReference<Uint256>() {}),
                            r -> s.borrowRates().put(m.idHex(), (BigInteger) r.get(0).getValue())));
            Address token = new Address(m.token());
            calls.add(
                    new Call(
                            pool,
                            fn("rentIndex", List.of(token), new TypeReference<Uint256>() {}),
                            r ->
                                    s.rentIndex()
                                            .put(
                                                    m.token().toLowerCase(),
                                                    (BigInteger) r.get(0).getValue())));
            calls.add(
                    new Call(
                            pool,
                            fn(
                                    "totalCollateralOf",
                                    List.of(token),
                                    new TypeReference<Uint256>() {}),
                            r ->
                                    s.totalCollateralOf()
                                            .put(
                                                    m.token().toLowerCase(),
                                                    (BigInteger) r.get(0).getValue())));
            calls.add(
                    new Call(
                            m.token(),
                            fn(
                                    "claimableRent",
                                    List.of(new Address(pool)),
                                    new TypeReference<Uint256>() {}),
                            r ->
                                    s.poolClaimableFromToken()
                                            .put(
                                                    m.token().toLowerCase(),
                                                    (BigInteger) r.get(0).getValue())));
            for (String account : accounts) {
                String key = PoolMirror.key(m.idHex(), account);
                List<Type> args = List.of(id, new Address(account));
                calls.add(
                        new Call(
                                pool,
                                fn(
                                        "position",
                                        args,
                                        new TypeReference<LendingPool.PositionView>() {}),
                                r -> s.positions().put(key, (LendingPool.PositionView) r.get(0))));
                calls.add(
                        new Call(
                                pool,
                                fn(
                                        "positionShares",
                                        args,
                                        new TypeReference<LendingPool.Position>() {}),
                                r -> s.stored().put(key, (LendingPool.Position) r.get(0))));
                calls.add(
                        new Call(
                                pool,
                                fn("isLiquidatable", args, new TypeReference<Bool>() {}),
                                r -> s.liquidatable().put(key, (Boolean) r.get(0).getValue())));
            }
        }
        Web3j web3j = chain.anvil.web3j();
        BatchRequest batch = web3j.newBatch();
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(block);
        for (Call call : calls) {
            batch.add(
                    web3j.ethCall(
                            Transaction.createEthCallTransaction(
                                    null, call.to(), FunctionEncoder.encode(call.function())),
                            at));
        }
        BatchResponse response = batch.send();
        List<? extends Response<?>> results = response.getResponses();
        if (results.size() != calls.size()) {
            throw new IOException("batch of " + calls.size() + " calls answered " + results.size());
        }
        for (int i = 0; i < calls.size(); i++) {
            EthCall result = (EthCall) results.get(i);
            Call call = calls.get(i);
            if (result.hasError() || result.isReverted()) {
                throw new IOException(
                        call.function().getName()
                                + " at block "
                                + block
                                + " failed: "
                                + (result.hasError()
                                        ? result.getError().getMessage()
                                        : result.getRevertReason()));
            }
            call.sink()
                    .accept(
                            FunctionReturnDecoder.decode(
                                    result.getValue(), call.function().getOutputParameters()));
        }
        return s;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Function fn(String name, List<? extends Type> inputs, TypeReference<?> output) {
        return new Function(name, (List) inputs, List.of((TypeReference) output));
    }
}
