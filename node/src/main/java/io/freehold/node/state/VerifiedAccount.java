package io.freehold.node.state;

import io.freehold.types.Address;
import java.util.Objects;

/** An account the identity registry lists as verified: allowed to hold property tokens. */
public record VerifiedAccount(Address account) {

    public VerifiedAccount {
        Objects.requireNonNull(account, "account");
    }
}
