package io.freehold.node.aave;

import io.freehold.contracts.math.aave.AaveBook;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.types.Address;
import io.freehold.types.BlockHeader;
import java.util.Objects;

/**
 * The book as of one applied block, for readers: never changed once published (the follower goes on
 * with its own book and publishes a new one after each step).
 *
 * @param block the last block applied; the figures are those of {@code getUserAccountData} called
 *     in that block (at its timestamp)
 */
public record AppliedAaveBook(BlockHeader block, AaveBook book) {

    public AppliedAaveBook {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(book, "book");
    }

    /** {@code Pool.getUserAccountData(user)} in the applied block, to the wei. */
    public AccountData accountData(Address user) {
        return book.accountData(user, block.timestamp());
    }
}
