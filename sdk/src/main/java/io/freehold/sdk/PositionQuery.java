package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;
import java.util.Optional;

/**
 * Which positions to list or watch: every set criterion must match. Immutable; build one with
 * {@link #builder()}.
 *
 * <pre>{@code
 * PositionQuery atRisk = PositionQuery.builder()
 *         .market(marketId)
 *         .healthFactorBelow(Wad.parse("1.1"))
 *         .build();
 * try (Stream<Position> positions = client.positions(atRisk)) {
 *     positions.forEach(p -> System.out.println(p.account() + " " + p.healthFactor()));
 * }
 * }</pre>
 */
public final class PositionQuery {

    /** The page size the node uses when none is set. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    /** The largest page the node serves. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final PositionQuery ALL = builder().build();

    private final MarketId market;
    private final Address owner;
    private final Wad healthFactorBelow;
    private final int pageSize;

    private PositionQuery(Builder b) {
        this.market = b.market;
        this.owner = b.owner;
        this.healthFactorBelow = b.healthFactorBelow;
        this.pageSize = b.pageSize;
    }

    /** Every position in every market. */
    public static PositionQuery all() {
        return ALL;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<MarketId> market() {
        return Optional.ofNullable(market);
    }

    public Optional<Address> owner() {
        return Optional.ofNullable(owner);
    }

    /** Only positions whose health factor is below this; positions without debt never match. */
    public Optional<Wad> healthFactorBelow() {
        return Optional.ofNullable(healthFactorBelow);
    }

    /** How many positions each request fetches; 0 for the node's default. */
    public int pageSize() {
        return pageSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionQuery q
                && Objects.equals(market, q.market)
                && Objects.equals(owner, q.owner)
                && Objects.equals(healthFactorBelow, q.healthFactorBelow)
                && pageSize == q.pageSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(market, owner, healthFactorBelow, pageSize);
    }

    @Override
    public String toString() {
        return "PositionQuery{market="
                + market
                + ", owner="
                + owner
                + ", healthFactorBelow="
                + healthFactorBelow
                + ", pageSize="
                + pageSize
                + "}";
    }

    /** Builds a {@link PositionQuery}; unset criteria match everything. */
    public static final class Builder {
        private MarketId market;
        private Address owner;
        private Wad healthFactorBelow;
        private int pageSize;

        private Builder() {}

        public Builder market(MarketId market) {
            this.market = Objects.requireNonNull(market, "market");
            return this;
        }

        public Builder owner(Address owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder healthFactorBelow(Wad healthFactorBelow) {
            this.healthFactorBelow = Objects.requireNonNull(healthFactorBelow, "healthFactorBelow");
            return this;
        }

        /**
         * Positions per request, 1..{@value #MAX_PAGE_SIZE}; it changes round trips, not the
         * result. Default {@value #DEFAULT_PAGE_SIZE}.
         */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException(
                        "page size must be within 1.." + MAX_PAGE_SIZE + ": " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        public PositionQuery build() {
            return new PositionQuery(this);
        }
    }
}
