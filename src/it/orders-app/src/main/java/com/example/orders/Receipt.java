package com.example.orders;

/** What the client gets back: the ack of "place", and the "created" event pushed to the room. */
public record Receipt(String id, String item, int quantity) {
}
