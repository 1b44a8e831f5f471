package com.example.orders;

/** What a client asks for; bound from the event's JSON argument by JSON-B. */
public record Order(String item, int quantity) {
}
