package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PayloadValuesTest {

    @Test
    void encodesJavaValuesIntoJsonWithPlaceholdersForBinaries() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("bin", ByteBuffer.wrap(new byte[] {9}));
        nested.put("list", List.of(1, "x"));
        PayloadValues.Encoded enc = PayloadValues.encode("ev", new Object[] {null, "s", 1, 2L, 1.5, true,
                new BigDecimal("12345678901234567890.5"), new byte[] {1, 2}, nested});
        assertThat(enc.array().toString()).isEqualTo("[\"ev\",null,\"s\",1,2,1.5,true,12345678901234567890.5,"
                + "{\"_placeholder\":true,\"num\":0},{\"bin\":{\"_placeholder\":true,\"num\":1},\"list\":[1,\"x\"]}]");
        assertThat(enc.attachments()).hasSize(2);
        assertThat(enc.attachments().get(0)).containsExactly(1, 2);
        assertThat(enc.attachments().get(1)).containsExactly(9);
    }

    @Test
    void arraysMayHoldNulls() {
        assertThat(PayloadValues.encode("ev", new Object[] {new String[] {"a", null}, new Object[] {null}})
                .array().toString()).isEqualTo("[\"ev\",[\"a\",null],[null]]");
    }

    // ------------------------------------------------------------------ objects through JSON-B

    public record Item(String sku, int quantity) {
    }

    public record Order(String id, List<Item> items, Color color, boolean paid) {
    }

    public enum Color { RED, GREEN }

    /** A JavaBean: no-arg constructor, getters and setters. */
    public static class Customer {
        private String name;
        private int visits;

        public Customer() {
        }

        public Customer(String name, int visits) {
            this.name = name;
            this.visits = visits;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getVisits() {
            return visits;
        }

        public void setVisits(int visits) {
            this.visits = visits;
        }
    }

    /** JSON-B fails on it: its getter throws. */
    public static class Broken {
        public String getStock() {
            throw new IllegalStateException("stock service down");
        }
    }

    /** JSON-B fails on it with an exception that has no message. */
    public static class Mute {
        public String getValue() {
            throw new UnsupportedOperationException();
        }
    }

    private static final Order ORDER = new Order("A1", List.of(new Item("pen", 2)), Color.GREEN, true);
    private static final String ORDER_JSON =
            "{\"color\":\"GREEN\",\"id\":\"A1\",\"items\":[{\"quantity\":2,\"sku\":\"pen\"}],\"paid\":true}";

    @Test
    void encodesRecordsAndBeansThroughJsonb() {
        PayloadValues.Encoded enc = PayloadValues.encode("created", new Object[] {ORDER, new Customer("Ann", 3)});
        assertThat(enc.array().toString())
                .isEqualTo("[\"created\"," + ORDER_JSON + ",{\"name\":\"Ann\",\"visits\":3}]");
        assertThat(enc.attachments()).isEmpty();
        assertThat(enc.array().get(1)).isInstanceOf(JsonObject.class);
    }

    @Test
    void convertsObjectsInsideMapsCollectionsAndArraysNextToBinaries() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("order", ORDER);
        map.put("bin", new byte[] {7});
        map.put("customers", List.of(new Customer("Bo", 1), new Customer("Cy", 2)));
        map.put("array", new Object[] {new Item("ink", 1), "plain", Map.of("deep", new Item("cap", 5))});
        PayloadValues.Encoded enc = PayloadValues.encode("ev", new Object[] {map});
        assertThat(enc.array().toString()).isEqualTo("[\"ev\",{\"order\":" + ORDER_JSON
                + ",\"bin\":{\"_placeholder\":true,\"num\":0}"
                + ",\"customers\":[{\"name\":\"Bo\",\"visits\":1},{\"name\":\"Cy\",\"visits\":2}]"
                + ",\"array\":[{\"quantity\":1,\"sku\":\"ink\"},\"plain\",{\"deep\":{\"quantity\":5,\"sku\":\"cap\"}}]}]");
        assertThat(enc.attachments()).singleElement().satisfies(b -> assertThat(b).containsExactly(7));
    }

    @Test
    void enumsAndCharactersStayWhatTheyWereAndOtherTypesGoThroughJsonb() {
        PayloadValues.Encoded enc = PayloadValues.encode("ev", new Object[] {Color.RED, 'x',
                new int[] {1, 2}, LocalDate.of(2024, 5, 1), Optional.empty(), List.of(Color.GREEN)});
        assertThat(enc.array().toString())
                .isEqualTo("[\"ev\",\"RED\",\"x\",[1,2],\"2024-05-01\",null,[\"GREEN\"]]");
    }

    @Test
    void anObjectJsonbFailsOnIsRefusedWithItsClassAndJsonbsReason() {
        assertThatThrownBy(() -> PayloadValues.encode("ev", new Object[] {List.of(new Broken())}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot send a " + Broken.class.getName() + ": JSON-B could not serialize it: ")
                .hasMessageContaining("stock service down");
        assertThatThrownBy(() -> PayloadValues.encode("ev", new Object[] {new Mute()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot send a " + Mute.class.getName() + ": JSON-B could not serialize it: ")
                .hasMessageContaining("Unable to serialize property 'value'");
    }

    @Test
    void aReasonIsNeverEmptyOrNull() {
        assertThat(ValueConversion.reason(new RuntimeException((String) null))).isEqualTo("java.lang.RuntimeException");
        assertThat(ValueConversion.reason(new RuntimeException("Internal error: null", new IllegalStateException())))
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(ValueConversion.reason(new RuntimeException("outer", new IllegalStateException("inner"))))
                .isEqualTo("outer (inner)");
        assertThat(ValueConversion.reason(new RuntimeException(new IllegalStateException("inner"))))
                .isEqualTo("inner"); // the wrapper's message is the cause's toString
    }

    @Test
    void theJsonbInstanceIsMadeOnceAndShared() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> got = pool.invokeAll(Collections.nCopies(8, () -> JsonBinding.jsonb()));
            Object first = JsonBinding.jsonb();
            for (Future<Object> f : got) {
                assertThat(f.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ Args.get(i, type)

    private static Args received(String eventJson) throws Exception {
        SocketPacket p = new SocketPacketDecoder(4).decodeText("2" + eventJson);
        return new Args(PayloadValues.decode((jakarta.json.JsonArray) p.data(), 1, p.attachments()));
    }

    @Test
    void argsBindRecordsAndBeansWithJsonb() throws Exception {
        Args args = received("[\"ev\"," + ORDER_JSON + ",{\"name\":\"Ann\",\"visits\":3},\"RED\",null]");
        assertThat(args.get(0, Order.class)).isEqualTo(ORDER);
        Customer c = args.get(1, Customer.class);
        assertThat(c.getName()).isEqualTo("Ann");
        assertThat(c.getVisits()).isEqualTo(3);
        assertThat(args.get(2, Color.class)).isEqualTo(Color.RED);
        assertThat(args.get(3, Order.class)).isNull();
        assertThat(args.get(3, JsonValue.class)).isSameAs(JsonValue.NULL);
    }

    @Test
    void argsGiveJsonStringsNumbersBooleansAndBinariesDirectly() throws Exception {
        SocketPacketDecoder decoder = new SocketPacketDecoder(4);
        decoder.decodeText("51-[\"ev\",\"s\",42,1.5,true,{\"_placeholder\":true,\"num\":0},{\"a\":1},[1],"
                + "12345678901234567890]");
        SocketPacket p = decoder.decodeBinary(new byte[] {3});
        Args args = new Args(PayloadValues.decode((jakarta.json.JsonArray) p.data(), 1, p.attachments()));
        assertThat(args.get(0, String.class)).isEqualTo("s");
        assertThat(args.get(1, Long.class)).isEqualTo(42L);
        int i = args.get(1, int.class);
        assertThat(i).isEqualTo(42);
        assertThat(args.get(1, BigDecimal.class)).isEqualByComparingTo("42");
        assertThat(args.get(2, double.class)).isEqualTo(1.5);
        assertThat(args.get(3, boolean.class)).isTrue();
        assertThat(args.get(4, byte[].class)).containsExactly(3);
        assertThat(args.get(4, ByteBuffer.class).get(0)).isEqualTo((byte) 3);
        assertThat(args.get(5, JsonObject.class).getInt("a")).isEqualTo(1);
        assertThat(args.get(6, JsonArray.class).getInt(0)).isEqualTo(1);
        assertThat(args.get(5, Object.class)).isSameAs(args.get(5));
        assertThatThrownBy(() -> args.get(7, long.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 7 is not a long: got the number 12345678901234567890, which is out of range");
        assertThatThrownBy(() -> args.get(2, int.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 2 is not an int: got the number 1.5, which is not a whole number");
        assertThatThrownBy(() -> args.get(0, Long.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 0 is not a java.lang.Long: got the string \"s\"");
        assertThatThrownBy(() -> args.get(5, String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 5 is not a java.lang.String: got an object");
        assertThatThrownBy(() -> args.get(5, JsonArray.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> args.get(4, Order.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 4 is not a " + Order.class.getName() + ": binary data cannot be bound to a JSON type; "
                        + "take byte[] or Object");
    }

    @Test
    void argsThatDoNotFitTheClassFailWithJsonbsReason() throws Exception {
        Args args = received("[\"ev\",{\"sku\":\"x\",\"quantity\":\"many\"},\"text\"]");
        assertThatThrownBy(() -> args.get(0, Item.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument 0 is not a " + Item.class.getName() + ": ")
                .hasMessageContaining("quantity").hasMessageEndingWith("For input string: \"many\")");
        assertThatThrownBy(() -> args.get(1, Item.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 1 is not a " + Item.class.getName() + ": expected a JSON object, got the string "
                        + "\"text\"");
    }

    /** {@code List<Order>}, as a field's generic type gives it. */
    @SuppressWarnings("unused")
    private static List<Order> listOfOrders;
    @SuppressWarnings("unused")
    private static Map<String, Item> itemsByName;

    @Test
    void argsBindGenericTypes() throws Exception {
        Type listType = PayloadValuesTest.class.getDeclaredField("listOfOrders").getGenericType();
        Type mapType = PayloadValuesTest.class.getDeclaredField("itemsByName").getGenericType();
        Args args = received("[\"ev\",[" + ORDER_JSON + "," + ORDER_JSON + "],{\"a\":{\"sku\":\"x\",\"quantity\":1}}]");
        List<Order> orders = args.get(0, listType);
        assertThat(orders).containsExactly(ORDER, ORDER);
        Map<String, Item> items = args.get(1, mapType);
        assertThat(items).containsExactly(Map.entry("a", new Item("x", 1)));
        Order viaType = args.get(0, (Type) Order[].class) instanceof Order[] arr ? arr[1] : null;
        assertThat(viaType).isEqualTo(ORDER);
    }

    @Test
    void whatIsSentComesBackAsTheSameObjects() throws Exception {
        PayloadValues.Encoded enc = PayloadValues.encode("ev", new Object[] {ORDER, List.of(ORDER)});
        Args args = new Args(PayloadValues.decode(enc.array(), 1, enc.attachments()));
        assertThat(args.get(0, Order.class)).isEqualTo(ORDER);
        assertThat(args.get(1, Order[].class)).containsExactly(ORDER);
    }

    @Test
    void decodesScalarsToJavaAndResolvesPlaceholders() throws Exception {
        SocketPacketDecoder decoder = new SocketPacketDecoder(4);
        decoder.decodeText("52-[\"ev\",1,1.5,\"s\",null,false,{\"_placeholder\":true,\"num\":0},"
                + "{\"a\":{\"_placeholder\":true,\"num\":1}},{\"plain\":1}]");
        decoder.decodeBinary(new byte[] {1});
        SocketPacket p = decoder.decodeBinary(new byte[] {2});
        Args args = new Args(PayloadValues.decode((jakarta.json.JsonArray) p.data(), 1, p.attachments()));
        assertThat(args.get(0)).isEqualTo(1L);
        assertThat(args.get(1)).isEqualTo(new BigDecimal("1.5"));
        assertThat(args.getString(2)).isEqualTo("s");
        assertThat(args.get(3)).isNull();
        assertThat(args.getBoolean(4)).isFalse();
        assertThat(args.getBytes(5)).containsExactly(1);
        assertThat(((Map<?, ?>) args.get(6)).get("a")).isEqualTo(new byte[] {2});
        assertThat(args.getJsonObject(7)).isInstanceOf(JsonObject.class);
        assertThat(args.getJson(7).toString()).isEqualTo("{\"plain\":1}");
        assertThatThrownBy(() -> args.getJson(6)).isInstanceOf(IllegalArgumentException.class);
    }
}
