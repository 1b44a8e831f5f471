package dev.parley.bench.jmh;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The Engine.IO v4 layer alone, on the Socket.IO event text {@code 2["bench",{…}]} (~145 bytes):
 * <ul>
 * <li>{@link #encodePayload16} / {@link #decodePayload16}: a long-polling payload of 16 such
 * MESSAGE packets joined by {@code \u001e} ({@link EngineCodec#encodePayload},
 * {@link EngineCodec#decodePayload});</li>
 * <li>{@link #webSocketFrame}: an already encoded Socket.IO text to the bytes of its WebSocket
 * frame and its Engine.IO text frame ({@link EnginePacket#message}, {@link EncodedPacket#of}), i.e.
 * the framing cost that a broadcast pays once per message;</li>
 * <li>{@link #decodeText}: one text frame {@code 42["bench",{…}]} to its {@link EnginePacket}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EngineCodecBenchmark {

    private String socketIoText;
    private String eventFrame;
    /** 16 packets; EnginePacket holds no encoded form, so reusing them is fair. */
    private List<EnginePacket> packets;
    private String payload;

    @Setup
    public void setup() throws MalformedPacketException {
        eventFrame = BenchData.EVENT_FRAME;
        socketIoText = eventFrame.substring(1);
        packets = new ArrayList<>(BenchData.PAYLOAD_PACKETS);
        for (int i = 0; i < BenchData.PAYLOAD_PACKETS; i++) {
            // Distinct strings (not one shared instance), as 16 separately emitted messages would be.
            packets.add(EnginePacket.message(new String(socketIoText)));
        }
        payload = EngineCodec.encodePayload(packets);

        int expectedLength = BenchData.PAYLOAD_PACKETS * eventFrame.length() + BenchData.PAYLOAD_PACKETS - 1;
        if (payload.length() != expectedLength || !decodePayload16().equals(packets)
                || webSocketFrame().length != 4 + eventFrame.length()
                || !decodeText().equals(EnginePacket.message(socketIoText))) {
            throw new IllegalStateException("benchmark input or output is not what it should be");
        }
    }

    @Benchmark
    public String encodePayload16() {
        return EngineCodec.encodePayload(packets);
    }

    @Benchmark
    public List<EnginePacket> decodePayload16() throws MalformedPacketException {
        return EngineCodec.decodePayload(payload);
    }

    @Benchmark
    public byte[] webSocketFrame() {
        // As a broadcast prepares each packet: both encoded forms, built once, shared by the recipients.
        return EncodedPacket.of(EnginePacket.message(socketIoText)).webSocketFrame();
    }

    @Benchmark
    public EnginePacket decodeText() throws MalformedPacketException {
        return EngineCodec.decodeText(eventFrame);
    }
}
