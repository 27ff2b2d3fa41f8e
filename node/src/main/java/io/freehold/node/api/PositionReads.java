package io.freehold.node.api;

import com.google.protobuf.CodedOutputStream;
import io.freehold.node.risk.MarketRisk;
import io.freehold.node.risk.PositionRisk;
import io.freehold.node.risk.RiskService;
import io.freehold.node.state.Checkpoint;
import io.freehold.proto.v1.Cursor;
import io.freehold.proto.v1.GetPositionRequest;
import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.proto.v1.Position;
import io.freehold.proto.v1.PositionFilter;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code PositionService}'s reads: one position, or pages of them in (market id, account) order,
 * read from the risk engine's account-sorted books so a page costs its own size, not the market's.
 * The page token is the last position returned, so a page never repeats or skips a position that
 * still exists, whatever changed in between. Behind both the gRPC endpoint ({@link
 * PositionEndpoint}) and the REST routes under {@code /v1/positions}.
 */
@Singleton
@Requires(property = "freehold.node.follow", notEquals = "false")
@Requires(property = "freehold.node.protocol", value = "freehold", defaultValue = "freehold")
public final class PositionReads {

    private final RiskService risk;
    private final PositionMessages messages = new PositionMessages();

    public PositionReads(RiskService risk) {
        this.risk = risk;
    }

    public Position get(GetPositionRequest request) {
        return ApiProtos.position(read(request));
    }

    /**
     * {@link #get}'s answer serialized, for the gRPC endpoint: made once per position and block.
     */
    Frame<Position> getFrame(GetPositionRequest request) {
        return Frame.ofBytes(messages.bytes(read(request)), Position.parser());
    }

    private PositionRisk read(GetPositionRequest request) {
        MarketId market = ApiArguments.marketId("market_id", request.getMarketId());
        Address account = ApiArguments.address("account", request.getAccount());
        requireMarket(market);
        return risk.engine()
                .risk(market, account)
                .orElseThrow(() -> ApiException.unknownPosition("account", market, account));
    }

    public ListPositionsResponse list(ListPositionsRequest request) {
        Page page = page(request);
        ListPositionsResponse.Builder answer = ListPositionsResponse.newBuilder();
        page.positions.forEach(p -> answer.addPositions(ApiProtos.position(p)));
        answer.setNextPageToken(page.nextToken);
        page.asOf.ifPresent(cp -> answer.setAsOf(ApiProtos.cursor(cp)));
        return answer.build();
    }

    /**
     * {@link #list}'s answer serialized, for the gRPC endpoint: the same bytes, written from each
     * position's message serialized once per block ({@link PositionMessages}) instead of converting
     * and serializing a hundred positions per call. Fields in number order, as protobuf writes
     * them.
     */
    Frame<ListPositionsResponse> listFrame(ListPositionsRequest request) {
        Page page = page(request);
        List<byte[]> items = new ArrayList<>(page.positions.size());
        int size = 0;
        for (PositionRisk p : page.positions) {
            byte[] bytes = messages.bytes(p);
            items.add(bytes);
            size += CodedOutputStream.computeByteArraySize(1, bytes);
        }
        if (!page.nextToken.isEmpty()) {
            size += CodedOutputStream.computeStringSize(2, page.nextToken);
        }
        Cursor cursor = page.asOf.map(ApiProtos::cursor).orElse(null);
        if (cursor != null) {
            size += CodedOutputStream.computeMessageSize(3, cursor);
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            for (byte[] item : items) {
                o.writeByteArray(1, item); // the same wire form as the embedded message
            }
            if (!page.nextToken.isEmpty()) {
                o.writeString(2, page.nextToken);
            }
            if (cursor != null) {
                o.writeMessage(3, cursor);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Frame.ofBytes(out, ListPositionsResponse.parser());
    }

    /** A page's positions, the token of the next page (empty: none) and the block they are at. */
    private record Page(
            List<PositionRisk> positions, String nextToken, Optional<Checkpoint> asOf) {}

    private Page page(ListPositionsRequest request) {
        PositionFilter f = request.getFilter();
        MarketId market = ApiArguments.optionalMarketId("filter.market_id", f.getMarketId());
        Address owner = ApiArguments.optionalAddress("filter.owner", f.getOwner());
        BigInteger below =
                ApiArguments.optionalRatio("filter.health_factor_below", f.getHealthFactorBelow());
        int size = ApiArguments.pageSize(request.getPageSize());
        PageToken after =
                request.getPageToken().isEmpty() ? null : decodeToken(request.getPageToken());
        if (market != null) {
            requireMarket(market);
        }
        List<MarketId> markets =
                market != null
                        ? List.of(market)
                        : risk.engine().markets().stream()
                                .map(MarketRisk::marketId)
                                .sorted()
                                .toList();
        // One more than the page: whether it exists decides the next page token.
        List<PositionRisk> page = new ArrayList<>();
        for (MarketId m : markets) {
            int cmp = after == null ? 1 : m.compareTo(after.marketId());
            if (cmp < 0) {
                continue;
            }
            Address from = cmp == 0 ? after.account() : null;
            int wanted = size + 1 - page.size();
            if (owner != null) {
                // One account per market: a lookup, not a walk.
                if (from == null || owner.compareTo(from) > 0) {
                    risk.engine()
                            .risk(m, owner)
                            .filter(p -> matches(p, below))
                            .ifPresent(page::add);
                }
            } else {
                page.addAll(
                        risk.engine().positions(m, from, wanted, below, p -> matches(p, below)));
            }
            if (page.size() > size) {
                break;
            }
        }
        String nextToken = "";
        if (page.size() > size) {
            page = page.subList(0, size);
            PositionRisk last = page.get(size - 1);
            String key = last.marketId().hex() + "/" + last.account().hex();
            nextToken =
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(key.getBytes(StandardCharsets.US_ASCII));
        }
        return new Page(page, nextToken, risk.engine().asOf());
    }

    /**
     * Whether a position of the right market and owner is listed. The engine applies {@code below}
     * on its walk too (to walk only the bands that can match); it is checked here for the owner's
     * lookup.
     */
    private static boolean matches(PositionRisk p, BigInteger below) {
        if (p.valuation().supplyShares().signum() == 0
                && p.valuation().borrowShares().signum() == 0
                && p.collateral().signum() == 0) {
            return false; // emptied: kept by the node for its rent index, not a position to list
        }
        return below == null || (p.debt().signum() > 0 && p.healthFactor().compareTo(below) < 0);
    }

    /** NOT_FOUND unless the node follows {@code market}. */
    void requireMarket(MarketId market) {
        if (risk.engine().market(market).isEmpty()) {
            throw ApiException.unknownMarket(market);
        }
    }

    /** The last position of the previous page. */
    private record PageToken(MarketId marketId, Address account) {}

    /** {@code <market id>/<account>}, as issued; anything else is refused. */
    private static PageToken decodeToken(String token) {
        try {
            String key =
                    new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            int slash = key.indexOf('/');
            if (slash != 66) {
                throw new IllegalArgumentException();
            }
            return new PageToken(
                    MarketId.of(key.substring(0, slash)), Address.of(key.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    "INVALID_PAGE", "page_token", "page_token was not issued by this node");
        }
    }
}
