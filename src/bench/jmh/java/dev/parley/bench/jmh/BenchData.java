package dev.parley.bench.jmh;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs shared by the codec benchmarks: the ~128-byte event argument the load generator in
 * {@code src/bench/node} sends ({@code {"i":1,"t":<ms>,"p":"x"*100}}), as Java values and as wire text.
 */
final class BenchData {

    static final String EVENT = "bench";

    /** 100 characters of filler, so the JSON object is 132 bytes like the load generator's. */
    static final String FILLER = "x".repeat(100);

    static final long TIMESTAMP = 1_732_500_000_000L;

    /** The JSON text of the argument: {@code {"i":1,"t":1732500000000,"p":"xxx…"}} (132 bytes). */
    static final String ARG_JSON = "{\"i\":1,\"t\":" + TIMESTAMP + ",\"p\":\"" + FILLER + "\"}";

    /** The Engine.IO text frame of the event, {@code 42["bench",{…}]}. */
    static final String EVENT_FRAME = "42[\"" + EVENT + "\"," + ARG_JSON + "]";

    /** The ack id used for acknowledgements. */
    static final long ACK_ID = 1234;

    /** The Engine.IO text frame of an acknowledgement carrying the same argument, {@code 431234[{…}]}. */
    static final String ACK_FRAME = "43" + ACK_ID + "[" + ARG_JSON + "]";

    /** Packets per polling payload. */
    static final int PAYLOAD_PACKETS = 16;

    /** Attachment size of the binary benchmarks: 1 KiB. */
    static final int ATTACHMENT_BYTES = 1024;

    private BenchData() {
    }

    /**
     * The argument as an application passes it to {@code emit}: a fresh map per call is not needed
     * (the encoder only reads it), so one instance built in {@code @Setup} is reused.
     */
    static Map<String, Object> argMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 1);
        m.put("t", TIMESTAMP);
        m.put("p", FILLER);
        return m;
    }

    /** The same argument as a record, as an application with its own types emits and reads it. */
    public record Arg(int i, long t, String p) {
    }

    static Arg argRecord() {
        return new Arg(1, TIMESTAMP, FILLER);
    }

    /** A deterministic, non-constant attachment of {@link #ATTACHMENT_BYTES} bytes. */
    static byte[] attachment(int seed) {
        byte[] b = new byte[ATTACHMENT_BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
