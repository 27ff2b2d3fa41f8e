package io.freehold.contracts.bindings;

import static io.freehold.contracts.bindings.PoolViews.abiAddress;
import static io.freehold.contracts.bindings.PoolViews.addressView;
import static io.freehold.contracts.bindings.PoolViews.boolView;
import static io.freehold.contracts.bindings.PoolViews.uintView;

import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * The views of the tokens around the pool as {@link ViewCall}s: any ERC-20 (the loan token), the
 * property token (pause, transfer rules, rent) and its identity registry.
 */
public final class TokenViews {

    private TokenViews() {}

    /** An ERC-20's {@code balanceOf(account)}, base units. */
    public static ViewCall<BigInteger> balanceOf(Address account) {
        return uintView(MockStablecoin.FUNC_BALANCEOF, abiAddress(account));
    }

    /** An ERC-20's {@code allowance(owner, spender)}, base units. */
    public static ViewCall<BigInteger> allowance(Address owner, Address spender) {
        return uintView(MockStablecoin.FUNC_ALLOWANCE, abiAddress(owner), abiAddress(spender));
    }

    /** An ERC-20's {@code decimals()}. */
    public static ViewCall<Integer> decimals() {
        return new ViewCall<>(
                new Function(
                        MockStablecoin.FUNC_DECIMALS,
                        List.of(),
                        List.of(new TypeReference<Uint8>() {})),
                v -> ((BigInteger) v.get(0).getValue()).intValueExact());
    }

    /** The property token's {@code paused()}: every transfer refused while true. */
    public static ViewCall<Boolean> paused() {
        return boolView(PropertyToken.FUNC_PAUSED);
    }

    /** The property token's {@code canReceive(account)}: verified and not frozen. */
    public static ViewCall<Boolean> canReceive(Address account) {
        return boolView(PropertyToken.FUNC_CANRECEIVE, abiAddress(account));
    }

    /** The property token's {@code isFrozen(account)}. */
    public static ViewCall<Boolean> isFrozen(Address account) {
        return boolView(PropertyToken.FUNC_ISFROZEN, abiAddress(account));
    }

    /** The property token's {@code identityRegistry()}. */
    public static ViewCall<Address> identityRegistry() {
        return addressView(PropertyToken.FUNC_IDENTITYREGISTRY);
    }

    /** The property token's {@code rentToken()}: fixed at deployment. */
    public static ViewCall<Address> rentToken() {
        return addressView(PropertyToken.FUNC_RENTTOKEN);
    }

    /** The property token's {@code claimableRent(holder)}, rent-token base units. */
    public static ViewCall<BigInteger> claimableRent(Address holder) {
        return uintView(PropertyToken.FUNC_CLAIMABLERENT, abiAddress(holder));
    }

    /** The identity registry's {@code isVerified(account)}. */
    public static ViewCall<Boolean> isVerified(Address account) {
        return boolView(IdentityRegistry.FUNC_ISVERIFIED, abiAddress(account));
    }
}
