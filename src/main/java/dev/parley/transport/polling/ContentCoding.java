package dev.parley.transport.polling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The content coding of a polling response, as engine.io picks it ({@code accepts(req).encodings(
 * ["gzip", "deflate"])}, the {@code negotiator} package): of {@code gzip} and {@code deflate}, the one
 * the client's {@code Accept-Encoding} gives the highest quality, an exact name before {@code *}, then
 * the one it lists first, then gzip; none with quality 0 or not accepted at all. {@code deflate} is
 * the zlib format, as Node's {@code zlib.createDeflate} (and HTTP's "deflate") makes it. Pure functions.
 */
final class ContentCoding {

    static final String GZIP = "gzip";
    static final String DEFLATE = "deflate";
    private static final String[] OFFERED = {GZIP, DEFLATE};

    private ContentCoding() {
    }

    /** {@code gzip}, {@code deflate}, or null (send the body as is) for this {@code Accept-Encoding} value. */
    static String negotiate(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return null;
        }
        String[] entries = acceptEncoding.split(",");
        String best = null;
        double bestQ = 0;
        int bestSpecificity = -1;
        int bestOrder = Integer.MAX_VALUE;
        for (String coding : OFFERED) {
            // The entry of the header that applies to this coding: the best-quality exact one, else '*'.
            double q = -1;
            int specificity = -1;
            int order = Integer.MAX_VALUE;
            for (int i = 0; i < entries.length; i++) {
                String[] parts = entries[i].split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                int s = name.equals(coding) ? 1 : name.equals("*") ? 0 : -1;
                if (s < 0) {
                    continue;
                }
                double entryQ = quality(parts);
                if (s > specificity || (s == specificity && entryQ > q)) {
                    q = entryQ;
                    specificity = s;
                    order = i;
                }
            }
            if (q <= 0) {
                continue;
            }
            if (q > bestQ || (q == bestQ && (specificity > bestSpecificity
                    || (specificity == bestSpecificity && order < bestOrder)))) {
                best = coding;
                bestQ = q;
                bestSpecificity = specificity;
                bestOrder = order;
            }
        }
        return best;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** {@code body} in the coding {@code coding} ({@link #GZIP} or {@link #DEFLATE}). */
    static byte[] encode(byte[] body, String coding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 3));
        try (OutputStream z = GZIP.equals(coding) ? new GZIPOutputStream(out, 8192) : new DeflaterOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }
}
