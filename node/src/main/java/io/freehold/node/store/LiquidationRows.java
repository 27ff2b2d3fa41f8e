package io.freehold.node.store;

import io.freehold.node.state.LiquidationRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the liquidation history newest first, with the query's filters, one keyset page at a time.
 */
final class LiquidationRows {

    private LiquidationRows() {}

    static List<LiquidationRecord> newest(Connection c, LiquidationQuery q) throws SQLException {
        StateTable<LiquidationRecord> table = StateTables.LIQUIDATION;
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        q.market()
                .ifPresent(
                        m -> {
                            where.add("market_id = ?");
                            args.add(m.hex());
                        });
        q.borrower()
                .ifPresent(
                        b -> {
                            where.add("borrower = ?");
                            args.add(b.hex());
                        });
        q.before()
                .ifPresent(
                        p -> {
                            // (block, index) < (p.block, p.index), spelled out: both databases plan
                            // this with the index.
                            where.add("(block_number < ? OR (block_number = ? AND log_index < ?))");
                            args.add(p.blockNumber());
                            args.add(p.blockNumber());
                            args.add(p.logIndex());
                        });
        String sql =
                table.selectAllSql().replace(" ORDER BY block_number, log_index", "")
                        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                        + " ORDER BY block_number DESC, log_index DESC LIMIT "
                        + q.limit();
        List<LiquidationRecord> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(table.rowOf(table.read(rs)));
                }
            }
        }
        return rows;
    }
}
