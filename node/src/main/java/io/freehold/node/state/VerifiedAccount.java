package io.freehold.node.state;

import java.util.Objects;

/** An account the identity registry lists as verified: allowed to hold property tokens. */
public record VerifiedAccount(Address account) {

    public VerifiedAccount {
        Objects.requireNonNull(account, "account");
    }
}
