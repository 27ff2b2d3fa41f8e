package io.freehold.node.state;

import io.freehold.types.Address;
import java.util.Objects;

/** An account an agent has frozen in one property token: it can neither send nor receive it. */
public record FrozenAccount(Address token, Address account) {

    public FrozenAccount {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(account, "account");
    }
}
