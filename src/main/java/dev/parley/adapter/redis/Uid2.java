package dev.parley.adapter.redis;

import java.security.SecureRandom;

/**
 * Ids as the {@code uid2} package makes them for the official adapter (node uids, request ids):
 * {@code n} random bytes, each written as one of 64 URL-safe characters.
 */
final class Uid2 {

    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Uid2() {
    }

    static String next(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        StringBuilder sb = new StringBuilder(n);
        for (byte b : bytes) {
            sb.append(CHARS.charAt((b & 0xff) % 64));
        }
        return sb.toString();
    }
}
