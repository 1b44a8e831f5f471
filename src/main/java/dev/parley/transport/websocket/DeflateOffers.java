package dev.parley.transport.websocket;

import jakarta.websocket.Extension;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a client's permessage-deflate offers Parley can accept, with the portable API only (no
 * container class): Parley deflates with the JDK's {@link java.util.zip.Deflater}, whose window is
 * always 32 KiB, so an offer asking {@code server_max_window_bits} below 15 is declined (the
 * client then gets an uncompressed connection); every other parameter of RFC 7692 is fine. A
 * client may send several offers, the preferred first: the first acceptable one is kept.
 */
final class DeflateOffers {

    static final String NAME = "permessage-deflate";

    private DeflateOffers() {
    }

    /** {@code requested} without the permessage-deflate offers Parley cannot honour. */
    static List<Extension> acceptable(List<Extension> requested) {
        List<Extension> kept = new ArrayList<>(requested.size());
        for (Extension e : requested) {
            if (!NAME.equals(e.getName()) || acceptable(e)) {
                kept.add(e);
            }
        }
        return kept;
    }

    private static boolean acceptable(Extension offer) {
        for (Extension.Parameter p : offer.getParameters()) {
            switch (p.getName()) {
                case "server_no_context_takeover", "client_no_context_takeover", "client_max_window_bits" -> {
                    // Parley keeps no context anyway; it inflates any window up to 15 bits.
                }
                case "server_max_window_bits" -> {
                    if (!"15".equals(p.getValue())) {
                        return false;
                    }
                }
                default -> {
                    return false; // unknown parameter: the offer must be declined (section 7)
                }
            }
        }
        return true;
    }

    /** Whether the connection negotiated permessage-deflate. */
    static boolean negotiated(List<Extension> negotiated) {
        for (Extension e : negotiated) {
            if (NAME.equals(e.getName())) {
                return true;
            }
        }
        return false;
    }

    /** An extension parameter, e.g. {@code server_no_context_takeover} (no value). */
    static Extension.Parameter parameter(String name) {
        return new Extension.Parameter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public String getValue() {
                return null;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
