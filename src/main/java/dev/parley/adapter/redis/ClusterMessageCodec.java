package dev.parley.adapter.redis;

import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.Placeholders;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Converts the values of cluster messages between JSON-P with binary placeholders (the form Parley
 * keeps a packet in: {@code {"_placeholder":true,"num":N}} stands for the N-th attachment) and the
 * two encodings the official adapters put on Redis: JSON text when nothing is binary, msgpack (as
 * notepack.io and @msgpack/msgpack write it: binaries as msgpack {@code bin}, maps with string keys)
 * when something is. Stateless and thread-safe; malformed input fails with
 * {@link IllegalArgumentException}.
 */
public final class ClusterMessageCodec {

    /** A value decoded from msgpack: JSON with placeholders, and the binaries they point to. */
    public record Decoded(JsonValue value, List<byte[]> attachments) {
    }

    private ClusterMessageCodec() {
    }

    /** JSON text of a value without binaries. */
    public static String toJson(JsonValue value) {
        return value.toString();
    }

    /** Parses JSON text. */
    public static JsonValue parseJson(String text) {
        try (var reader = Jsonp.PROVIDER.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** msgpack of a value whose placeholders stand for {@code attachments} (written as {@code bin}). */
    public static byte[] toMsgpack(JsonValue value, List<byte[]> attachments) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(packer, value, attachments);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a buffer packer does no I/O
        }
    }

    private static void pack(MessageBufferPacker p, JsonValue v, List<byte[]> attachments) throws IOException {
        if (v == null) {
            p.packNil();
            return;
        }
        switch (v.getValueType()) {
            case NULL -> p.packNil();
            case TRUE -> p.packBoolean(true);
            case FALSE -> p.packBoolean(false);
            case STRING -> p.packString(((JsonString) v).getString());
            case NUMBER -> {
                JsonNumber n = (JsonNumber) v;
                if (n.isIntegral()) {
                    BigInteger big = n.bigIntegerValue();
                    if (big.bitLength() < 64) {
                        p.packLong(big.longValue());
                    } else {
                        p.packDouble(big.doubleValue()); // beyond int64: JavaScript reads a double anyway
                    }
                } else {
                    p.packDouble(n.doubleValue());
                }
            }
            case ARRAY -> {
                JsonArray a = (JsonArray) v;
                p.packArrayHeader(a.size());
                for (JsonValue e : a) {
                    pack(p, e, attachments);
                }
            }
            case OBJECT -> {
                if (Placeholders.isPlaceholder(v) && Placeholders.indexOf(v) < attachments.size()) {
                    byte[] bytes = attachments.get(Placeholders.indexOf(v));
                    p.packBinaryHeader(bytes.length);
                    p.writePayload(bytes);
                    return;
                }
                JsonObject o = (JsonObject) v;
                p.packMapHeader(o.size());
                for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                    p.packString(e.getKey());
                    pack(p, e.getValue(), attachments);
                }
            }
            default -> throw new IllegalArgumentException("unexpected JSON value " + v.getValueType());
        }
    }

    /** Decodes msgpack; each {@code bin} becomes a placeholder and an attachment, in reading order. */
    public static Decoded fromMsgpack(byte[] bytes) {
        List<byte[]> attachments = new ArrayList<>();
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            JsonValue value = unpack(u, attachments, 0);
            return new Decoded(value, attachments);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not msgpack: " + e.getMessage(), e);
        }
    }

    private static JsonValue unpack(MessageUnpacker u, List<byte[]> attachments, int depth) throws IOException {
        if (depth > 100) {
            throw new IllegalArgumentException("nested more than 100 levels");
        }
        ValueType type = u.getNextFormat().getValueType();
        switch (type) {
            case NIL -> {
                u.unpackNil();
                return JsonValue.NULL;
            }
            case BOOLEAN -> {
                return u.unpackBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            }
            case INTEGER -> {
                return Jsonp.PROVIDER.createValue(u.unpackBigInteger());
            }
            case FLOAT -> {
                double d = u.unpackDouble();
                if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
                    return Jsonp.PROVIDER.createValue((long) d); // JavaScript has one number type: 3.0 is 3
                }
                return Double.isFinite(d) ? Jsonp.PROVIDER.createValue(d) : JsonValue.NULL;
            }
            case STRING -> {
                return Jsonp.PROVIDER.createValue(u.unpackString());
            }
            case BINARY -> {
                int len = u.unpackBinaryHeader();
                attachments.add(u.readPayload(len));
                return Placeholders.placeholder(attachments.size() - 1);
            }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                JsonArrayBuilder b = Jsonp.PROVIDER.createArrayBuilder();
                for (int i = 0; i < n; i++) {
                    b.add(unpack(u, attachments, depth + 1));
                }
                return b.build();
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                JsonObjectBuilder b = Jsonp.PROVIDER.createObjectBuilder();
                for (int i = 0; i < n; i++) {
                    JsonValue key = unpack(u, attachments, depth + 1);
                    String k = key instanceof JsonString s ? s.getString() : key.toString();
                    b.add(k, unpack(u, attachments, depth + 1));
                }
                return b.build();
            }
            case EXTENSION -> {
                // notepack writes undefined and Dates as extensions: JSON.stringify drops the one and stringifies
                // the other; neither has a value here
                var header = u.unpackExtensionTypeHeader();
                u.readPayload(header.getLength());
                return JsonValue.NULL;
            }
            default -> throw new IllegalArgumentException("unexpected msgpack type " + type);
        }
    }
}
