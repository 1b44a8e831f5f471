package dev.parley.adapter.redis;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * MessagePack as notepack.io (the parser of {@code @socket.io/redis-adapter}) writes and reads it,
 * over a tree of plain Java values: {@code null}, {@link Boolean}, {@link Long}, {@link Double},
 * {@link String}, {@code byte[]}, {@link List} and {@link Map} with string keys (insertion order kept).
 * notepack's choices, which msgpack-core's packer makes too: the smallest integer format for an
 * integral number, float 64 for any other, str 8 from 32 characters, bin for buffers. On reading,
 * notepack's {@code undefined} (fixext 1 of type 0) and other extension types become {@code null};
 * a map key that is not a string becomes its text. Stateless and thread-safe.
 */
final class Notepack {

    private Notepack() {
    }

    /** The msgpack bytes of a value tree (see the class comment for the types allowed). */
    static byte[] encode(Object value) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(packer, value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("msgpack to memory failed", e); // a buffer packer does no I/O
        }
    }

    /**
     * The value tree of msgpack bytes.
     *
     * @throws IOException when the bytes are not one complete msgpack value
     */
    static Object decode(byte[] bytes) throws IOException {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            Object value = unpack(unpacker);
            if (unpacker.hasNext()) {
                throw new IOException("bytes after the msgpack value");
            }
            return value;
        } catch (RuntimeException e) { // msgpack-core reports some malformed input unchecked
            throw new IOException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    private static void pack(MessageBufferPacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof byte[] bytes) {
            p.packBinaryHeader(bytes.length);
            p.writePayload(bytes);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof Number n) {
            packNumber(p, n);
        } else if (v instanceof Map<?, ?> map) {
            // as notepack: keys whose value is undefined are left out; Java has no undefined, so all stay
            p.packMapHeader(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                p.packString(String.valueOf(e.getKey()));
                pack(p, e.getValue());
            }
        } else if (v instanceof Collection<?> c) {
            p.packArrayHeader(c.size());
            for (Object o : c) {
                pack(p, o);
            }
        } else {
            throw new IllegalArgumentException("no msgpack form for " + v.getClass().getName());
        }
    }

    /** JavaScript has one number type: an integral value is an integer on the wire whatever its Java type. */
    private static void packNumber(MessageBufferPacker p, Number n) throws IOException {
        double d = n.doubleValue();
        if (n instanceof BigInteger i && i.bitLength() < 64) {
            p.packLong(i.longValue());
        } else if (n instanceof BigDecimal bd && isLong(bd)) {
            p.packLong(bd.longValueExact());
        } else if (!Double.isInfinite(d) && !Double.isNaN(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            p.packLong((long) d);
        } else {
            p.packDouble(d);
        }
    }

    private static boolean isLong(BigDecimal bd) {
        try {
            bd.longValueExact();
            return true;
        } catch (ArithmeticException notIntegral) {
            return false;
        }
    }

    private static Object unpack(MessageUnpacker u) throws IOException {
        MessageFormat f = u.getNextFormat();
        switch (f.getValueType()) {
            case NIL:
                u.unpackNil();
                return null;
            case BOOLEAN:
                return u.unpackBoolean();
            case INTEGER:
                if (f == MessageFormat.UINT64) {
                    BigInteger big = u.unpackBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
                }
                return u.unpackLong();
            case FLOAT:
                return u.unpackDouble();
            case STRING:
                return u.unpackString();
            case BINARY: {
                int n = u.unpackBinaryHeader();
                return u.readPayload(n);
            }
            case ARRAY: {
                int n = u.unpackArrayHeader();
                List<Object> out = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    out.add(unpack(u));
                }
                return out;
            }
            case MAP: {
                int n = u.unpackMapHeader();
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object key = unpack(u);
                    out.put(String.valueOf(key), unpack(u));
                }
                return out;
            }
            case EXTENSION:
            default: {
                // notepack's undefined (fixext 1, type 0) and any other extension: nothing JSON could carry
                var header = u.unpackExtensionTypeHeader();
                u.readPayload(header.getLength());
                return null;
            }
        }
    }
}
