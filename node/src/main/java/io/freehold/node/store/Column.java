package io.freehold.node.store;

/** A column of a state table: its SQL name and kind. */
record Column(String name, ColumnType type) {

    static Column text(String name) {
        return new Column(name, ColumnType.TEXT);
    }

    static Column uint(String name) {
        return new Column(name, ColumnType.UINT);
    }

    static Column int64(String name) {
        return new Column(name, ColumnType.LONG);
    }

    static Column bool(String name) {
        return new Column(name, ColumnType.BOOL);
    }
}
