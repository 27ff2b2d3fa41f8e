package io.freehold.examples.demo;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.AaveMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.math.aave.AccountData;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The local Aave market's pool as the demo's accounts use it (supply, borrow, liquidationCall) and
 * its views the reconciliation compares the node with ({@code getUserAccountData}, the tokens'
 * balances), each at a given block. The demo talks to the pool directly, as any Aave user does;
 * everything it reads about the node it reads through the SDK.
 */
final class AavePool {

    /** USDC base units per dollar (6 decimals). */
    static final BigInteger USDC = BigInteger.TEN.pow(6);

    /** REALT-0412 base units per whole token (18 decimals). */
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /**
     * {@code LiquidationCall(collateralAsset, debtAsset, user, debtToCover,
     * liquidatedCollateralAmount, liquidator, receiveAToken)}.
     */
    static final Event LIQUIDATION_CALL =
            new Event(
                    "LiquidationCall",
                    List.of(
                            new TypeReference<Address>(true) {},
                            new TypeReference<Address>(true) {},
                            new TypeReference<Address>(true) {},
                            new TypeReference<Uint256>() {},
                            new TypeReference<Uint256>() {},
                            new TypeReference<Address>() {},
                            new TypeReference<Bool>() {}));

    /**
     * One {@code LiquidationCall} the pool emitted.
     *
     * @param debtToCover USDC base units repaid
     * @param liquidatedCollateral REALT base units taken from the borrower (the liquidator's and
     *     the protocol's share)
     */
    record LiquidationCall(
            String user,
            String liquidator,
            BigInteger debtToCover,
            BigInteger liquidatedCollateral,
            long block,
            String transactionHash) {}

    final Anvil anvil;
    final AaveMarket market;
    final ChainWriter admin;

    AavePool(Anvil anvil, AaveMarket market) {
        this.anvil = anvil;
        this.market = market;
        this.admin = new ChainWriter(anvil, anvil.credentials(0));
    }

    String usdc() {
        return market.stablecoin().asset();
    }

    String realt() {
        return market.propertyToken().asset();
    }

    /** "USDC", "REALT-0412": the local market's symbol of {@code asset}. */
    String symbol(io.freehold.types.Address asset) {
        for (AaveMarket.Reserve r : List.of(market.stablecoin(), market.propertyToken())) {
            if (io.freehold.types.Address.of(r.asset()).equals(asset)) {
                return r.symbol();
            }
        }
        return Money.shortAddress(asset.toChecksumHex());
    }

    /** Mints {@code who} the stablecoin and the property token, and approves the pool for both. */
    void fund(ChainWriter who, BigInteger usdc, BigInteger realt) throws Exception {
        if (usdc.signum() > 0) {
            who.send(usdc(), "mint", new Address(who.address()), new Uint256(usdc));
            who.send(usdc(), "approve", new Address(market.pool()), new Uint256(MAX));
        }
        if (realt.signum() > 0) {
            who.send(realt(), "mint", new Address(who.address()), new Uint256(realt));
            who.send(realt(), "approve", new Address(market.pool()), new Uint256(MAX));
        }
    }

    void supply(ChainWriter who, String asset, BigInteger amount) throws Exception {
        who.send(
                market.pool(),
                "supply",
                new Address(asset),
                new Uint256(amount),
                new Address(who.address()),
                new Uint16(0));
    }

    /** Borrows USDC at the variable rate (mode 2: the local market has stable borrowing off). */
    void borrow(ChainWriter who, BigInteger usdcAmount) throws Exception {
        who.send(
                market.pool(),
                "borrow",
                new Address(usdc()),
                new Uint256(usdcAmount),
                new Uint256(BigInteger.TWO),
                new Uint16(0),
                new Address(who.address()));
    }

    /** An appraisal: the property token's oracle price moves (base currency, 8 decimals). */
    void setRealtPrice(BigInteger price) throws Exception {
        AaveLocalMarket.setPrice(admin, market, realt(), price);
    }

    /** {@code liquidationCall}, collateral received as the underlying; its event. */
    LiquidationCall liquidationCall(
            ChainWriter liquidator,
            String collateralAsset,
            String debtAsset,
            String user,
            BigInteger debtToCover)
            throws Exception {
        TransactionReceipt receipt =
                liquidator.send(
                        market.pool(),
                        "liquidationCall",
                        new Address(collateralAsset),
                        new Address(debtAsset),
                        new Address(user),
                        new Uint256(debtToCover),
                        new Bool(false));
        return liquidationCalls(receipt.getLogs()).get(0);
    }

    /** The pool's {@code LiquidationCall} events among {@code logs}. */
    List<LiquidationCall> liquidationCalls(List<Log> logs) {
        String topic = EventEncoder.encode(LIQUIDATION_CALL);
        List<LiquidationCall> calls = new ArrayList<>();
        for (Log log : logs) {
            if (log.getTopics().isEmpty()
                    || !log.getTopics().get(0).equals(topic)
                    || !log.getAddress().equalsIgnoreCase(market.pool())) {
                continue;
            }
            byte[] data = Numeric.hexStringToByteArray(log.getData());
            calls.add(
                    new LiquidationCall(
                            "0x" + log.getTopics().get(3).substring(26),
                            "0x" + Numeric.toHexString(data, 64 + 12, 20, false),
                            new BigInteger(1, java.util.Arrays.copyOfRange(data, 0, 32)),
                            new BigInteger(1, java.util.Arrays.copyOfRange(data, 32, 64)),
                            log.getBlockNumber().longValueExact(),
                            log.getTransactionHash()));
        }
        return calls;
    }

    /**
     * The pool's {@code LiquidationCall}s from {@code fromBlock} to the head, of {@code user} only
     * when it is not null, in chain order.
     */
    @SuppressWarnings("rawtypes")
    List<LiquidationCall> liquidationCalls(long fromBlock, String user) throws Exception {
        EthFilter filter =
                new EthFilter(
                        DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                        DefaultBlockParameter.valueOf("latest"),
                        market.pool());
        filter.addSingleTopic(EventEncoder.encode(LIQUIDATION_CALL));
        if (user != null) {
            filter.addNullTopic();
            filter.addNullTopic();
            filter.addSingleTopic("0x" + "0".repeat(24) + user.substring(2).toLowerCase());
        }
        EthLog answer = anvil.web3j().ethGetLogs(filter).send();
        if (answer.hasError()) {
            throw new IllegalStateException("eth_getLogs: " + answer.getError().getMessage());
        }
        return liquidationCalls(answer.getLogs().stream().map(r -> (Log) r.get()).toList());
    }

    /** {@code Pool.getUserAccountData(account)} at {@code block}. */
    AccountData accountData(String account, long block) throws Exception {
        return AaveLocalMarket.accountData(admin, market, account, BigInteger.valueOf(block));
    }

    /**
     * A view taking one address and returning a uint256 (balanceOf, scaledBalanceOf), at {@code
     * block}.
     */
    BigInteger uintView(String contract, String function, String account, long block)
            throws Exception {
        return admin.uintView(contract, function, account, BigInteger.valueOf(block));
    }

    long head() throws Exception {
        return anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    }
}
