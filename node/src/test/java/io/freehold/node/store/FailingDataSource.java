package io.freehold.node.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Wraps a DataSource so that the n-th {@code executeBatch} (counted from arming) fails: a fault in
 * the middle of a commit, after earlier batches of the same transaction have been executed.
 */
final class FailingDataSource {

    private final DataSource target;
    private final AtomicInteger batchesUntilFailure = new AtomicInteger(Integer.MAX_VALUE);

    FailingDataSource(DataSource target) {
        this.target = target;
    }

    /** The n-th batch executed from now on throws (n ≥ 1). */
    void failBatch(int n) {
        batchesUntilFailure.set(n);
    }

    DataSource dataSource() {
        return proxy(
                DataSource.class,
                (p, m, args) -> {
                    Object result = invoke(target, m, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    private Connection connection(Connection c) {
        return proxy(
                Connection.class,
                (p, m, args) -> {
                    Object result = invoke(c, m, args);
                    return result instanceof PreparedStatement ps ? statement(ps) : result;
                });
    }

    private PreparedStatement statement(PreparedStatement ps) {
        return proxy(
                PreparedStatement.class,
                (p, m, args) -> {
                    if (m.getName().equals("executeBatch")
                            && batchesUntilFailure.decrementAndGet() == 0) {
                        throw new SQLException("injected failure in the middle of a commit");
                    }
                    return invoke(ps, m, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
            throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T)
                Proxy.newProxyInstance(
                        FailingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
