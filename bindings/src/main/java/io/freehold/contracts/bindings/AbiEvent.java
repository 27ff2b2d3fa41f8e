package io.freehold.contracts.bindings;

import io.freehold.types.Address;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.NumericType;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.methods.response.Log;

/**
 * One contract event decoded from its ABI definition (the generated wrapper's {@code *_EVENT}): the
 * topic0, where each parameter stands (indexed ones in topics, the others in data words, a struct
 * as its fields in a row) and which ABI type it has all come from the definition; {@link
 * EventWords} reads them strictly. Only events whose parameters are all static (addresses, uints,
 * bools, bytes32 and structs of those) are read this way, which is all the protocol emits.
 *
 * @param <T> what a log of this event becomes
 */
public final class AbiEvent<T> {

    /** What the event's words become; the log for where it is (transaction, index). */
    @FunctionalInterface
    public interface Decoding<T> {
        T decode(EventWords words, Log log);
    }

    /** The ABI types a word can have, as far as reading it goes. */
    enum Kind {
        ADDRESS,
        UINT,
        BOOL,
        BYTES32
    }

    private final Event event;
    private final String topic;
    private final Kind[] topicKinds;
    private final Kind[] wordKinds;
    private final Decoding<T> decoding;

    private AbiEvent(Event event, Decoding<T> decoding) {
        this.event = event;
        this.topic = EventEncoder.encode(event).toLowerCase(Locale.ROOT);
        this.topicKinds = kinds(event.getIndexedParameters(), false);
        this.wordKinds = kinds(event.getNonIndexedParameters(), true);
        this.decoding = decoding;
    }

    /**
     * The event {@code event} (a generated wrapper's {@code *_EVENT}) decoded by {@code decoding}.
     *
     * @throws IllegalArgumentException if a parameter is of a type not read here (dynamic)
     */
    public static <T> AbiEvent<T> of(Event event, Decoding<T> decoding) {
        return new AbiEvent<>(event, decoding);
    }

    /**
     * The same event decoded further: what this one decodes, then {@code then} of it (e.g. into a
     * caller's own record, with where the log is).
     */
    public <R> AbiEvent<R> map(java.util.function.BiFunction<T, Log, R> then) {
        return new AbiEvent<>(event, (w, log) -> then.apply(decoding.decode(w, log), log));
    }

    /** The ABI definition. */
    public Event event() {
        return event;
    }

    /** topic0: the keccak-256 of the event's signature, 0x-prefixed lowercase hex. */
    public String topic() {
        return topic;
    }

    /** Whether the log carries this event (topic0), whoever emitted it. */
    public boolean matches(Log log) {
        List<String> topics = log.getTopics();
        return topics != null && !topics.isEmpty() && topic.equalsIgnoreCase(topics.get(0));
    }

    /**
     * The log decoded, strictly: the number of topics and data words must be the ABI's and every
     * word the canonical encoding of its type.
     *
     * @throws IllegalArgumentException if the log is not this event or not its encoding
     */
    public T decode(Log log) {
        if (!matches(log)) {
            throw new IllegalArgumentException("not a " + event.getName() + " log");
        }
        return decoding.decode(
                new EventWords(
                        event.getName(), topicKinds, wordKinds, log.getTopics(), log.getData()),
                log);
    }

    /**
     * Every log of this event that {@code emitter} emitted, decoded, in the order given; removed
     * logs (reorged out) are left out. Logs of other contracts are never trusted: anyone can emit a
     * look-alike.
     */
    public List<T> from(List<Log> logs, Address emitter) {
        List<T> found = new ArrayList<>();
        for (Log log : logs) {
            if (!log.isRemoved()
                    && matches(log)
                    && emitter.hex().equalsIgnoreCase(log.getAddress())) {
                found.add(decode(log));
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return event.getName();
    }

    private Kind[] kinds(List<TypeReference<Type>> parameters, boolean structs) {
        List<Kind> kinds = new ArrayList<>();
        for (TypeReference<Type> p : parameters) {
            Class<?> type = classOf(p);
            if (structs && StaticStruct.class.isAssignableFrom(type)) {
                @SuppressWarnings("unchecked")
                Class<Type> struct = (Class<Type>) type;
                for (Field f : Utils.staticStructNestedPublicFieldsFlatList(struct)) {
                    kinds.add(javaKind(f.getType()));
                }
            } else {
                kinds.add(abiKind(type));
            }
        }
        return kinds.toArray(Kind[]::new);
    }

    private Kind abiKind(Class<?> type) {
        if (type == org.web3j.abi.datatypes.Address.class) {
            return Kind.ADDRESS;
        } else if (NumericType.class.isAssignableFrom(type)
                && type.getSimpleName().startsWith("Uint")) {
            return Kind.UINT;
        } else if (type == Bool.class) {
            return Kind.BOOL;
        } else if (type == Bytes32.class) {
            return Kind.BYTES32;
        }
        throw new IllegalArgumentException(
                event.getName() + ": parameter type " + type.getSimpleName() + " is not read here");
    }

    /** A generated struct's field: web3j types it as String, BigInteger, Boolean or byte[]. */
    private Kind javaKind(Class<?> type) {
        if (type == String.class) {
            return Kind.ADDRESS;
        } else if (type == java.math.BigInteger.class) {
            return Kind.UINT;
        } else if (type == Boolean.class || type == boolean.class) {
            return Kind.BOOL;
        } else if (type == byte[].class) {
            return Kind.BYTES32;
        }
        throw new IllegalArgumentException(
                event.getName()
                        + ": struct field type "
                        + type.getSimpleName()
                        + " is not read here");
    }

    private static Class<?> classOf(TypeReference<Type> p) {
        try {
            return p.getClassType();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
