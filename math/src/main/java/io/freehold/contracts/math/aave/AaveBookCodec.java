package io.freehold.contracts.math.aave;

import io.freehold.types.Address;
import io.freehold.types.Hex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link AaveBook}'s whole state in bytes and back, so that a follower can store the book at a
 * final block and take it up again instead of reading the market from its first block.
 *
 * <p>Everything the book holds is written, nothing is derived again on reading: the followed
 * contracts, every reserve (ids, tokens, strategy, configuration word, both indexes, the three
 * rates, last update) in initialization order, the reserves list with its holes and count, the
 * token map, aTokens initialized for a reserve not yet initialized, every account's scaled balances
 * and bits, eMode categories and accounts' categories, price sources and their answers (signed: a
 * source may answer ≤ 0), the base currency, and the position of the last applied log (so the next
 * log is checked to follow it). Hash maps are written in key order, so one state has one encoding:
 * a book decoded and encoded again gives the same bytes.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): the format version, then the fields in the
 * order of {@link #encode}. An address is its 20 bytes, a number its two's-complement bytes after
 * their count. Integrity (a checksum) and which market and block the bytes belong to are the
 * caller's: this is the book only.
 */
public final class AaveBookCodec {

    /** Raised when the bytes are not a whole book of this format. */
    public static final class MalformedBookException extends RuntimeException {
        MalformedBookException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int VERSION = 1;
    private static final int NULL = -1;

    private AaveBookCodec() {}

    public static byte[] encode(AaveBook book) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            address(out, book.market.pool());
            address(out, book.market.configurator());
            address(out, book.market.oracle());
            out.writeInt(book.reserves.size());
            for (AaveReserve r : book.reserves.values()) { // initialization order
                address(out, r.asset());
                out.writeInt(r.id());
                address(out, r.aToken());
                address(out, r.stableDebtToken());
                address(out, r.variableDebtToken());
                address(out, r.interestRateStrategy());
                number(out, r.configuration().data());
                number(out, r.liquidityIndex());
                number(out, r.variableBorrowIndex());
                number(out, r.liquidityRate());
                number(out, r.variableBorrowRate());
                number(out, r.stableBorrowRate());
                out.writeLong(r.lastUpdateTimestamp());
            }
            Map<Integer, Address> list = new TreeMap<>(book.reservesList);
            out.writeInt(list.size());
            for (Map.Entry<Integer, Address> e : list.entrySet()) {
                out.writeInt(e.getKey());
                address(out, e.getValue());
            }
            out.writeInt(book.reservesCount);
            Map<Address, AaveBook.ReserveToken> tokens = new TreeMap<>(book.tokens);
            out.writeInt(tokens.size());
            for (Map.Entry<Address, AaveBook.ReserveToken> e : tokens.entrySet()) {
                address(out, e.getKey());
                address(out, e.getValue().asset());
                out.writeByte(e.getValue().kind().ordinal());
            }
            Map<Address, Integer> decimals = new TreeMap<>(book.initializedDecimals);
            out.writeInt(decimals.size());
            for (Map.Entry<Address, Integer> e : decimals.entrySet()) {
                address(out, e.getKey());
                out.writeInt(e.getValue());
            }
            out.writeInt(book.users.size());
            for (Map.Entry<Address, Map<Address, AaveUserReserve>> u : book.users.entrySet()) {
                address(out, u.getKey());
                Map<Address, AaveUserReserve> positions = new TreeMap<>(u.getValue());
                out.writeInt(positions.size());
                for (Map.Entry<Address, AaveUserReserve> p : positions.entrySet()) {
                    address(out, p.getKey());
                    number(out, p.getValue().scaledATokenBalance());
                    number(out, p.getValue().scaledVariableDebt());
                    out.writeBoolean(p.getValue().collateral());
                    out.writeBoolean(p.getValue().borrowing());
                }
            }
            Map<Integer, EModeCategory> categories = new TreeMap<>(book.eModeCategories);
            out.writeInt(categories.size());
            for (Map.Entry<Integer, EModeCategory> e : categories.entrySet()) {
                out.writeInt(e.getKey());
                out.writeInt(e.getValue().ltv());
                out.writeInt(e.getValue().liquidationThreshold());
                out.writeInt(e.getValue().liquidationBonus());
                address(out, e.getValue().priceSource());
            }
            Map<Address, Integer> modes = new TreeMap<>(book.userEModes);
            out.writeInt(modes.size());
            for (Map.Entry<Address, Integer> e : modes.entrySet()) {
                address(out, e.getKey());
                out.writeInt(e.getValue());
            }
            Map<Address, Address> sources = new TreeMap<>(book.priceSources);
            out.writeInt(sources.size());
            for (Map.Entry<Address, Address> e : sources.entrySet()) {
                address(out, e.getKey());
                address(out, e.getValue());
            }
            Map<Address, BigInteger> answers = new TreeMap<>(book.answers);
            out.writeInt(answers.size());
            for (Map.Entry<Address, BigInteger> e : answers.entrySet()) {
                address(out, e.getKey());
                number(out, e.getValue());
            }
            out.writeBoolean(book.baseCurrency != null);
            if (book.baseCurrency != null) {
                address(out, book.baseCurrency);
            }
            number(out, book.baseCurrencyUnit);
            out.writeLong(book.lastBlock);
            out.writeLong(book.lastLogIndex);
            out.writeLong(book.lastTimestamp);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The book {@link #encode} wrote.
     *
     * @throws MalformedBookException if the bytes are short, long, of another version or do not
     *     decode (a value out of its range)
     */
    public static AaveBook decode(byte[] bytes) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int version = in.readInt();
            if (version != VERSION) {
                throw new MalformedBookException(
                        "book format " + version + ", this node reads " + VERSION, null);
            }
            AaveBook book =
                    new AaveBook(new AaveBook.Market(address(in), address(in), address(in)));
            int reserves = count(in);
            for (int i = 0; i < reserves; i++) {
                AaveReserve r =
                        new AaveReserve(
                                address(in),
                                in.readInt(),
                                address(in),
                                address(in),
                                address(in),
                                address(in),
                                new ReserveConfiguration(number(in)),
                                number(in),
                                number(in),
                                number(in),
                                number(in),
                                number(in),
                                in.readLong());
                book.reserves.put(r.asset(), r);
            }
            int list = count(in);
            for (int i = 0; i < list; i++) {
                book.reservesList.put(in.readInt(), address(in));
            }
            book.reservesCount = in.readInt();
            AaveBook.TokenKind[] kinds = AaveBook.TokenKind.values();
            int tokens = count(in);
            for (int i = 0; i < tokens; i++) {
                Address token = address(in);
                Address asset = address(in);
                book.tokens.put(token, new AaveBook.ReserveToken(asset, kinds[in.readByte()]));
            }
            readMap(in, book.initializedDecimals, AaveBookCodec::intValue);
            int users = count(in);
            for (int i = 0; i < users; i++) {
                Address user = address(in);
                Map<Address, AaveUserReserve> positions = new TreeMap<>();
                int n = count(in);
                for (int j = 0; j < n; j++) {
                    positions.put(
                            address(in),
                            new AaveUserReserve(
                                    number(in), number(in), in.readBoolean(), in.readBoolean()));
                }
                book.users.put(user, positions);
            }
            int categories = count(in);
            for (int i = 0; i < categories; i++) {
                book.eModeCategories.put(
                        in.readInt(),
                        new EModeCategory(in.readInt(), in.readInt(), in.readInt(), address(in)));
            }
            readMap(in, book.userEModes, AaveBookCodec::intValue);
            readMap(in, book.priceSources, AaveBookCodec::address);
            readMap(in, book.answers, AaveBookCodec::number);
            book.baseCurrency = in.readBoolean() ? address(in) : null;
            book.baseCurrencyUnit = number(in);
            book.lastBlock = in.readLong();
            book.lastLogIndex = in.readLong();
            book.lastTimestamp = in.readLong();
            if (in.available() != 0) {
                throw new MalformedBookException(in.available() + " bytes after the book", null);
            }
            return book;
        } catch (EOFException e) {
            throw new MalformedBookException("the book is cut short", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedBookException m) {
                throw m;
            }
            throw new MalformedBookException("the book does not decode: " + e, e);
        }
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> void readMap(DataInputStream in, Map<Address, T> into, Reader<T> value)
            throws IOException {
        int n = count(in);
        for (int i = 0; i < n; i++) {
            into.put(address(in), value.read(in));
        }
    }

    private static Integer intValue(DataInputStream in) throws IOException {
        return in.readInt();
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new MalformedBookException("a count of " + n + " entries", null);
        }
        return n;
    }

    private static void address(DataOutputStream out, Address address) throws IOException {
        out.write(Hex.bytes(address.hex()));
    }

    private static Address address(DataInputStream in) throws IOException {
        byte[] bytes = new byte[Address.LENGTH];
        in.readFully(bytes);
        return Address.fromBytes(bytes);
    }

    /** A signed integer, or null, as its byte count ({@link #NULL} for null) and bytes. */
    private static void number(DataOutputStream out, BigInteger value) throws IOException {
        if (value == null) {
            out.writeShort(NULL);
            return;
        }
        byte[] bytes = value.toByteArray();
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static BigInteger number(DataInputStream in) throws IOException {
        int length = in.readShort();
        if (length == NULL) {
            return null;
        }
        if (length <= 0 || length > 64) {
            throw new MalformedBookException("a number of " + length + " bytes", null);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new BigInteger(bytes);
    }
}
