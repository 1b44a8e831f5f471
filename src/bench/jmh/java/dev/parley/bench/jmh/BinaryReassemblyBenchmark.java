package dev.parley.bench.jmh;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import jakarta.json.JsonArray;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Receiving a BINARY_EVENT with {@link #attachments} attachments of 1 KiB each over WebSocket: the
 * text frame {@code 45N-["bench",{"_placeholder":true,"num":0},…]} then N binary frames, through
 * {@link EngineCodec#decodeText}/{@link EngineCodec#decodeBinary} and the stateful
 * {@link SocketPacketDecoder} ({@code decodeText} returns null, the last {@code decodeBinary} the whole
 * packet), and finally to the event name and {@link Args} with the placeholders replaced by the
 * {@code byte[]} attachments ({@link PayloadValues#decode}), as the server does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BinaryReassemblyBenchmark {

    @Param({"1", "4"})
    public int attachments;

    private String textFrame;
    /**
     * The binary frames' bytes, made once: the codec takes ownership of the array without copying or
     * changing it, so handing the same arrays in again is what a fresh frame would cost.
     */
    private byte[][] binaryFrames;
    /** One decoder per connection; every operation completes a packet, so it is idle between them. */
    private SocketPacketDecoder decoder;

    @Setup
    public void setup() throws MalformedPacketException {
        StringBuilder sb = new StringBuilder("45").append(attachments).append("-[\"").append(BenchData.EVENT)
                .append('"');
        binaryFrames = new byte[attachments][];
        for (int i = 0; i < attachments; i++) {
            sb.append(",{\"_placeholder\":true,\"num\":").append(i).append('}');
            binaryFrames[i] = BenchData.attachment(i);
        }
        textFrame = sb.append(']').toString();
        decoder = new SocketPacketDecoder(64);

        Args args = decode(null);
        if (args.size() != attachments) {
            throw new IllegalStateException("expected " + attachments + " arguments, got " + args);
        }
        for (int i = 0; i < attachments; i++) {
            if (args.getBytes(i) != binaryFrames[i]) {
                throw new IllegalStateException("argument " + i + " is not attachment " + i);
            }
        }
    }

    @Benchmark
    public void reassemble(Blackhole bh) throws MalformedPacketException {
        bh.consume(decode(bh));
    }

    private Args decode(Blackhole bh) throws MalformedPacketException {
        if (decoder.decodeText(EngineCodec.decodeText(textFrame).text()) != null) {
            throw new IllegalStateException("a binary packet cannot be whole before its attachments");
        }
        SocketPacket whole = null;
        for (byte[] frame : binaryFrames) {
            whole = decoder.decodeBinary(EngineCodec.decodeBinary(frame).binary());
        }
        JsonArray data = (JsonArray) whole.data();
        String event = String.valueOf(PayloadValues.fromJson(data.get(0), whole.attachments()));
        if (bh != null) {
            bh.consume(event);
        } else if (!BenchData.EVENT.equals(event)) {
            throw new IllegalStateException("event name " + event);
        }
        return new Args(PayloadValues.decode(data, 1, whole.attachments()));
    }
}
