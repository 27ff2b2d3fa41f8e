package io.freehold.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.proto.v1.ListPositionsRequest;
import io.freehold.proto.v1.ListPositionsResponse;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FreeholdClientPositionsTest {

    private FakeNode node;
    private FreeholdClient client;

    // Five accounts served as pages [0,1] [2,3] [] [4]: an empty page in the middle must not end
    // the stream.
    private static final List<String> ACCOUNTS =
            IntStream.range(0, 5).mapToObj(i -> "0x" + String.format("%040x", i + 1)).toList();
    private static final Map<String, ListPositionsResponse> PAGES =
            Map.of(
                    "", page("t1", 0, 1),
                    "t1", page("t2", 2, 3),
                    "t2", page("t3"),
                    "t3", page(""));

    private static ListPositionsResponse page(String next, int... accounts) {
        ListPositionsResponse.Builder b = ListPositionsResponse.newBuilder().setNextPageToken(next);
        for (int a : accounts) {
            b.addPositions(FreeholdClientTest.protoPosition(ACCOUNTS.get(a)));
        }
        if (next.isEmpty()) {
            b.addPositions(FreeholdClientTest.protoPosition(ACCOUNTS.get(4)));
        }
        return b.build();
    }

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode();
        client = node.client();
        node.listPositions =
                r -> {
                    ListPositionsResponse page = PAGES.get(r.getPageToken());
                    if (page == null) {
                        throw FakeNode.error(
                                Status.Code.INVALID_ARGUMENT,
                                "INVALID_PAGE",
                                "page_token",
                                "not issued here");
                    }
                    return page;
                };
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    @Test
    void pagesUnderneathAsOneStream() {
        List<Position> positions;
        try (Stream<Position> stream = client.positions(PositionQuery.all())) {
            positions = stream.toList();
        }

        assertThat(positions)
                .extracting(p -> p.account().toLowerCaseHex())
                .containsExactlyElementsOf(ACCOUNTS);
        positions.forEach(p -> FreeholdClientTest.assertPosition(p, p.account().toString()));
        assertThat(node.requestsOf(ListPositionsRequest.class))
                .extracting(ListPositionsRequest::getPageToken)
                .containsExactly("", "t1", "t2", "t3");
    }

    @Test
    void sendsTheQueryOnEveryPage() {
        MarketId market = MarketId.fromHex(FreeholdClientTest.MARKET);
        Address owner = Address.fromHex(FreeholdClientTest.ACCOUNT);
        PositionQuery query =
                PositionQuery.builder()
                        .market(market)
                        .owner(owner)
                        .healthFactorBelow(Wad.parse("1.1"))
                        .pageSize(2)
                        .build();

        assertThat(client.positions(query).count()).isEqualTo(5);

        assertThat(node.requestsOf(ListPositionsRequest.class))
                .hasSize(4)
                .allSatisfy(
                        r -> {
                            assertThat(r.getFilter().getMarketId())
                                    .isEqualTo(FreeholdClientTest.MARKET);
                            assertThat(r.getFilter().getOwner())
                                    .isEqualTo(FreeholdClientTest.ACCOUNT);
                            assertThat(r.getFilter().getHealthFactorBelow())
                                    .isEqualTo("1100000000000000000");
                            assertThat(r.getPageSize()).isEqualTo(2);
                        });
    }

    @Test
    void anEmptyQuerySendsAnEmptyFilterAndTheDefaultPageSize() {
        client.positions(PositionQuery.all()).findFirst();

        ListPositionsRequest sent = node.requestsOf(ListPositionsRequest.class).get(0);
        assertThat(sent.hasFilter()).isTrue();
        assertThat(sent.getFilter())
                .isEqualTo(io.freehold.proto.v1.PositionFilter.getDefaultInstance());
        assertThat(sent.getPageSize()).isZero();
    }

    @Test
    void fetchesOnlyThePagesItReaches() {
        Stream<Position> stream = client.positions(PositionQuery.all());
        assertThat(node.requests).isEmpty(); // lazy: nothing until consumed

        List<Position> firstThree = stream.limit(3).collect(Collectors.toList());

        assertThat(firstThree).hasSize(3);
        assertThat(node.requestsOf(ListPositionsRequest.class)).hasSize(2);
    }

    @Test
    void aFailedPageThrowsFromTheStream() {
        node.listPositions =
                r -> {
                    if (r.getPageToken().isEmpty()) {
                        return page("t1", 0, 1);
                    }
                    throw FakeNode.error(
                            Status.Code.INVALID_ARGUMENT, "INVALID_PAGE", "page_token", "expired");
                };

        Stream<Position> stream = client.positions(PositionQuery.all());

        assertThatThrownBy(stream::toList)
                .isInstanceOf(InvalidArgumentException.class)
                .satisfies(e -> assertThat(((FreeholdException) e).field()).contains("page_token"));
    }

    @Test
    void pageSizeIsChecked() {
        assertThatThrownBy(() -> PositionQuery.builder().pageSize(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PositionQuery.builder().pageSize(1001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PositionQuery.builder().pageSize(1000).build().pageSize()).isEqualTo(1000);
    }
}
