package dev.parley.bench.jmh;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacketEncoder;
import jakarta.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Socket.IO v5 packet codec on the message path, one ~128-byte JSON object argument
 * ({@code ["bench",{"i":1,"t":…,"p":"x"*100}]}, as the load generator sends):
 * <ul>
 * <li>{@link #encodeEvent}: Java values to the Socket.IO packet text, as {@code emit} does
 * ({@link PayloadValues#encode} then {@link SocketPacketEncoder#encode});</li>
 * <li>{@link #encodeEventToWebSocketFrame}: the same, then the whole server path to the bytes of the
 * WebSocket frame ({@link EnginePacket#message} then {@link EncodedPacket#of});</li>
 * <li>{@link #encodePrebuiltPacket}: {@link SocketPacketEncoder#encode} alone, on a packet built in
 * setup, to split JSON serialisation from the Java-to-JSON-P conversion;</li>
 * <li>{@link #decodeEvent}: the text frame {@code 42["bench",{…}]} to the event name and {@link Args},
 * as the server does ({@link EngineCodec#decodeText}, {@link SocketPacketDecoder#decodeText},
 * {@link PayloadValues#decode});</li>
 * <li>{@link #decodeAck}: the same for an acknowledgement {@code 431234[{…}]};</li>
 * <li>{@link #encodeEventWithRecord}: {@link #encodeEvent} with the argument a record
 * ({@link BenchData.Arg}), converted through JSON-B as any object Parley does not know;</li>
 * <li>{@link #decodeEventToRecord}: {@link #decodeEvent}, then the argument bound to the record
 * with {@link Args#get(int, Class)}, as a handler taking the application's own type does.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SocketPacketCodecBenchmark {

    // Inputs live in non-final instance fields, so the JIT cannot fold them into constants.
    private Object[] args;
    private Object[] recordArgs;
    private String event;
    private SocketPacket prebuilt;
    private String eventFrame;
    private String ackFrame;
    /** One decoder per connection, reused like the server's (stateless for non-binary packets). */
    private SocketPacketDecoder decoder;

    @Setup
    public void setup() throws MalformedPacketException {
        event = BenchData.EVENT;
        args = new Object[] {BenchData.argMap()};
        recordArgs = new Object[] {BenchData.argRecord()};
        eventFrame = BenchData.EVENT_FRAME;
        ackFrame = BenchData.ACK_FRAME;
        decoder = new SocketPacketDecoder(64);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        prebuilt = SocketPacket.event("/", enc.array(), SocketPacket.NO_ACK, enc.attachments());

        // Check once that every benchmark computes what it claims to, on the expected wire text.
        String expectedText = eventFrame.substring(1);
        check(encodeEvent().equals(expectedText), "encodeEvent: " + encodeEvent());
        check(encodePrebuiltPacket().equals(expectedText), "encodePrebuiltPacket");
        byte[] frame = encodeEventToWebSocketFrame();
        byte[] payload = eventFrame.getBytes(StandardCharsets.UTF_8);
        check(frame.length == 4 + payload.length && (frame[0] & 0xFF) == 0x81 && frame[1] == 126
                && Arrays.equals(frame, 4, frame.length, payload, 0, payload.length), "encodeEventToWebSocketFrame");
        SocketPacket e = decoder.decodeText(EngineCodec.decodeText(eventFrame).text());
        check(e != null && e.type().code() == 2 && e.data().asJsonArray().size() == 2, "decodeEvent");
        SocketPacket a = decoder.decodeText(EngineCodec.decodeText(ackFrame).text());
        check(a != null && a.ackId() == BenchData.ACK_ID && a.data().asJsonArray().size() == 1, "decodeAck");
        // JSON-B writes a record's properties in lexicographic order: compare as JSON, not as text.
        String viaRecord = encodeEventWithRecord();
        check(jakarta.json.Json.createReader(new java.io.StringReader(viaRecord.substring(1))).readValue()
                .equals(jakarta.json.Json.createReader(new java.io.StringReader(expectedText.substring(1))).readValue()),
                "encodeEventWithRecord: " + viaRecord);
        check(decodeEventToRecord().equals(BenchData.argRecord()), "decodeEventToRecord");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark input or output is not what it should be: " + what);
        }
    }

    @Benchmark
    public String encodeEvent() {
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        return SocketPacketEncoder.encode(SocketPacket.event("/", enc.array(), SocketPacket.NO_ACK,
                enc.attachments()));
    }

    @Benchmark
    public byte[] encodeEventToWebSocketFrame() {
        // What a broadcast pays once per message: both encoded forms, shared by the recipients.
        return EncodedPacket.of(EnginePacket.message(encodeEvent())).webSocketFrame();
    }

    @Benchmark
    public String encodePrebuiltPacket() {
        return SocketPacketEncoder.encode(prebuilt);
    }

    @Benchmark
    public void decodeEvent(Blackhole bh) throws MalformedPacketException {
        // As Client/Socket.onEvent: Engine.IO text frame -> Socket.IO packet -> event name + Args.
        SocketPacket p = decoder.decodeText(EngineCodec.decodeText(eventFrame).text());
        JsonArray data = (JsonArray) p.data();
        bh.consume(String.valueOf(PayloadValues.fromJson(data.get(0), p.attachments())));
        bh.consume(new Args(PayloadValues.decode(data, 1, p.attachments())));
        bh.consume(p.ackId());
    }

    @Benchmark
    public void decodeAck(Blackhole bh) throws MalformedPacketException {
        // As Socket.onAck: the whole data array becomes the Args that complete the pending ack.
        SocketPacket p = decoder.decodeText(EngineCodec.decodeText(ackFrame).text());
        bh.consume(p.ackId());
        bh.consume(new Args(PayloadValues.decode((JsonArray) p.data(), 0, p.attachments())));
    }

    @Benchmark
    public String encodeEventWithRecord() {
        PayloadValues.Encoded enc = PayloadValues.encode(event, recordArgs);
        return SocketPacketEncoder.encode(SocketPacket.event("/", enc.array(), SocketPacket.NO_ACK,
                enc.attachments()));
    }

    @Benchmark
    public BenchData.Arg decodeEventToRecord() throws MalformedPacketException {
        SocketPacket p = decoder.decodeText(EngineCodec.decodeText(eventFrame).text());
        Args received = new Args(PayloadValues.decode((JsonArray) p.data(), 1, p.attachments()));
        return received.get(0, BenchData.Arg.class);
    }
}
