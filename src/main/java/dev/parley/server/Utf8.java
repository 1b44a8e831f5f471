package dev.parley.server;

/** Byte lengths of text in UTF-8 without encoding it (for the {@link ServerObserver}'s byte counts). */
final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes {@code s} takes in UTF-8, as {@code s.getBytes(UTF_8).length}. */
    static long length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++; // unpaired: Java's encoder writes '?'
            } else {
                n += 3;
            }
        }
        return n;
    }
}
