package dev.parley.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.ValueConversion;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import dev.parley.standalone.StandaloneServer;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.json.bind.annotation.JsonbCreator;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbSubtype;
import jakarta.json.bind.annotation.JsonbTypeAdapter;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import jakarta.json.bind.annotation.JsonbTypeInfo;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.Session;
import jakarta.ws.rs.core.UriInfo;
import java.beans.ConstructorProperties;
import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.security.Principal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.SimpleTimeZone;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.xml.datatype.XMLGregorianCalendar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parameter types of {@code @OnEvent} methods: those no event argument could ever be bound to
 * fail registration with the method, parameter, type and reason named; every kind of type that is
 * accepted binds a real value sent by the Java client through a running server and real Yasson.
 * (Test classes are compiled with -parameters, so messages carry parameter names.)
 */
class HandlerMethodTest {

    // ---------------------------------------------------------------- types JSON-B creates

    public static class Order {
        public String item;
        public int quantity;
    }

    public static class ProtectedConstructor {
        public int a;

        protected ProtectedConstructor() {
        }
    }

    protected static class ProtectedNested {
        public int a;
    }

    public record Line(String item, int quantity) {
    }

    public record Span(int from, int to) {
        @JsonbCreator
        public Span(@JsonbProperty("from") int from, @JsonbProperty("to") int to) {
            this.from = from;
            this.to = to;
        }

        public Span(int both) {
            this(both, both);
        }
    }

    public static class Priced {
        private final String item;
        private final BigDecimal price;

        @JsonbCreator
        public Priced(@JsonbProperty("item") String item, @JsonbProperty("price") BigDecimal price) {
            this.item = item;
            this.price = price;
        }

        @Override
        public String toString() {
            return item + " at " + price;
        }
    }

    public static class Coupon {
        private String code;

        private Coupon() {
        }

        @JsonbCreator
        public static Coupon of(@JsonbProperty("code") String code) {
            Coupon c = new Coupon();
            c.code = code.toUpperCase();
            return c;
        }
    }

    public static class Point {
        private final int x;
        private final int y;

        @ConstructorProperties({"x", "y"})
        public Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        public int getX() {
            return x;
        }

        public int getY() {
            return y;
        }
    }

    public static class Box<T> {
        public T value;
    }

    public enum Color { RED, GREEN }

    enum Size { SMALL, LARGE }

    @JsonbTypeInfo({@JsonbSubtype(alias = "dog", type = Dog.class)})
    public interface Animal {
        String name();
    }

    public static class Dog implements Animal {
        public String name;

        @Override
        public String name() {
            return name;
        }
    }

    @JsonbTypeDeserializer(Celsius.FromFahrenheit.class)
    public interface Temperature {
        double celsius();
    }

    public record Celsius(double celsius) implements Temperature {
        /** Reads {"f": fahrenheit}. */
        public static class FromFahrenheit implements JsonbDeserializer<Temperature> {
            @Override
            public Temperature deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
                return new Celsius((parser.getObject().getJsonNumber("f").doubleValue() - 32) * 5 / 9);
            }
        }
    }

    @JsonbTypeAdapter(Money.Adapter.class)
    public abstract static class Money {
        public abstract String text();

        /** "12.50 EUR" both ways. */
        public static class Adapter implements JsonbAdapter<Money, String> {
            @Override
            public String adaptToJson(Money m) {
                return m.text();
            }

            @Override
            public Money adaptFromJson(String s) {
                return new Money() {
                    @Override
                    public String text() {
                        return s;
                    }
                };
            }
        }
    }

    private static String kind(Object v) {
        return v.getClass().getSimpleName() + " " + v;
    }

    /** One event per accepted kind of type; each answers with what it received. */
    @SocketNamespace("/types")
    public static class Types {
        // Converted by Parley itself.
        @OnEvent("Object") public String object(Object v) { return (v instanceof JsonObject) + " " + v; }
        @OnEvent("String") public String string(String v) { return v; }
        @OnEvent("boolean") public String bool(boolean v) { return "boolean " + v; }
        @OnEvent("Boolean") public String boxedBool(Boolean v) { return kind(v); }
        @OnEvent("int") public String anInt(int v) { return "int " + v; }
        @OnEvent("long") public String aLong(long v) { return "long " + v; }
        @OnEvent("short") public String aShort(short v) { return "short " + v; }
        @OnEvent("byte") public String aByte(byte v) { return "byte " + v; }
        @OnEvent("double") public String aDouble(double v) { return "double " + v; }
        @OnEvent("float") public String aFloat(float v) { return "float " + v; }
        @OnEvent("Integer") public String integer(Integer v) { return kind(v); }
        @OnEvent("Long") public String boxedLong(Long v) { return kind(v); }
        @OnEvent("Double") public String boxedDouble(Double v) { return kind(v); }
        @OnEvent("BigDecimal") public String bigDecimal(BigDecimal v) { return kind(v); }
        @OnEvent("BigInteger") public String bigInteger(BigInteger v) { return kind(v); }
        @OnEvent("Number") public String number(Number v) { return kind(v); }
        @OnEvent("byte[]") public String bytes(byte[] v) { return Arrays.toString(v); }
        @OnEvent("JsonValue") public String json(JsonValue v) { return v.getValueType() + " " + v; }
        @OnEvent("JsonStructure") public String jsonStructure(JsonStructure v) { return v.getValueType() + " " + v; }
        @OnEvent("JsonObject") public String jsonObject(JsonObject v) { return v.getInt("a") + ""; }
        @OnEvent("JsonArray") public String jsonArray(JsonArray v) { return v.size() + " " + v; }
        @OnEvent("JsonString") public String jsonString(JsonString v) { return v.getString(); }
        @OnEvent("JsonNumber") public String jsonNumber(JsonNumber v) { return v.isIntegral() + " " + v; }

        // Classes JSON-B creates.
        @OnEvent("char") public String character(char v) { return "char " + v; }
        @OnEvent("Character") public String boxedCharacter(Character v) { return kind(v); }
        @OnEvent("pojo") public String pojo(Order v) { return v.item + " x" + v.quantity; }
        @OnEvent("protected constructor") public String protectedConstructor(ProtectedConstructor v) { return "a=" + v.a; }
        @OnEvent("protected nested") public String protectedNested(ProtectedNested v) { return "a=" + v.a; }
        @OnEvent("record") public String record(Line v) { return v.toString(); }
        @OnEvent("record with creator") public String recordWithCreator(Span v) { return v.toString(); }
        @OnEvent("creator") public String creator(Priced v) { return v.toString(); }
        @OnEvent("factory") public String factory(Coupon v) { return v.code; }
        @OnEvent("constructor properties") public String constructorProperties(Point v) { return v.x + "," + v.y; }
        @OnEvent("enum") public String anEnum(Color v) { return v.name(); }
        @OnEvent("package-private enum") public String packagePrivateEnum(Size v) { return v.name(); }
        @OnEvent("@JsonbTypeInfo") public String polymorphic(Animal v) { return kind(v.name()) + " " + v.getClass().getSimpleName(); }
        @OnEvent("@JsonbTypeDeserializer") public String deserialized(Temperature v) { return kind(v.celsius()); }
        @OnEvent("@JsonbTypeAdapter") public String adapted(Money v) { return v.text(); }

        // Collections, maps, arrays, Optional.
        @OnEvent("Collection") public String collection(Collection<Integer> v) { return kind(v); }
        @OnEvent("List") public String list(List<Order> v) { return v.get(0).item; }
        @OnEvent("Set") public String set(Set<String> v) { return kind(v); }
        @OnEvent("SortedSet") public String sortedSet(SortedSet<Integer> v) { return kind(v); }
        @OnEvent("NavigableSet") public String navigableSet(NavigableSet<Integer> v) { return kind(v); }
        @OnEvent("Queue") public String queue(Queue<Integer> v) { return kind(v); }
        @OnEvent("Deque") public String deque(Deque<Integer> v) { return kind(v.peekLast()); }
        @OnEvent("ArrayList") public String arrayList(ArrayList<String> v) { return kind(v); }
        @OnEvent("LinkedHashSet") public String linkedHashSet(LinkedHashSet<String> v) { return kind(v); }
        @OnEvent("EnumSet") public String enumSet(EnumSet<Color> v) { return v.toString(); }
        @OnEvent("Map") public String map(Map<String, Integer> v) { return kind(v); }
        @OnEvent("SortedMap") public String sortedMap(SortedMap<String, Integer> v) { return kind(v); }
        @OnEvent("NavigableMap") public String navigableMap(NavigableMap<String, Integer> v) { return kind(v); }
        @OnEvent("ConcurrentMap") public String concurrentMap(ConcurrentMap<String, Integer> v) { return kind(v); }
        @OnEvent("ConcurrentNavigableMap") public String concurrentNavigableMap(ConcurrentNavigableMap<String, Integer> v) { return kind(v); }
        @OnEvent("HashMap") public String hashMap(HashMap<String, Order> v) { return kind(v.get("o").item); }
        @OnEvent("LinkedHashMap") public String linkedHashMap(LinkedHashMap<String, Integer> v) { return kind(v); }
        @OnEvent("Map with Integer keys") public String integerKeys(Map<Integer, List<Order>> v) { return kind(v.keySet().iterator().next()) + " " + v.get(1).get(0).item; }
        @OnEvent("Order[]") public String orders(Order[] v) { return v.length + " " + v[1].item; }
        @OnEvent("int[]") public String ints(int[] v) { return Arrays.toString(v); }
        @OnEvent("String[]") public String strings(String[] v) { return Arrays.toString(v); }
        @OnEvent("Object[]") public String objects(Object[] v) { return Arrays.toString(v); }
        @OnEvent("Optional") public String optional(Optional<Order> v) { return v.map(o -> o.item).orElse("empty"); }
        @OnEvent("OptionalInt") public String optionalInt(OptionalInt v) { return v.toString(); }
        @OnEvent("OptionalLong") public String optionalLong(OptionalLong v) { return v.toString(); }
        @OnEvent("OptionalDouble") public String optionalDouble(OptionalDouble v) { return v.toString(); }
        @OnEvent("wildcard") public String wildcard(List<? extends Order> v) { return v.get(0).item; }
        @OnEvent("generic class") public String generic(Box<Order> v) { return v.value.item; }
        @OnEvent("bounded type variable") public <T extends Order> String bounded(T v) { return v.item; }

        // JSON-B's built-in types.
        @OnEvent("UUID") public String uuid(UUID v) { return kind(v); }
        @OnEvent("Instant") public String instant(Instant v) { return kind(v); }
        @OnEvent("LocalDate") public String localDate(LocalDate v) { return kind(v); }
        @OnEvent("LocalDateTime") public String localDateTime(LocalDateTime v) { return kind(v); }
        @OnEvent("LocalTime") public String localTime(LocalTime v) { return kind(v); }
        @OnEvent("OffsetDateTime") public String offsetDateTime(OffsetDateTime v) { return kind(v); }
        @OnEvent("OffsetTime") public String offsetTime(OffsetTime v) { return kind(v); }
        @OnEvent("ZonedDateTime") public String zonedDateTime(ZonedDateTime v) { return kind(v); }
        @OnEvent("Duration") public String duration(Duration v) { return kind(v); }
        @OnEvent("Period") public String period(Period v) { return kind(v); }
        @OnEvent("YearMonth") public String yearMonth(YearMonth v) { return kind(v); }
        @OnEvent("MonthDay") public String monthDay(MonthDay v) { return kind(v); }
        @OnEvent("ZoneId") public String zoneId(ZoneId v) { return v.getId(); }
        @OnEvent("ZoneOffset") public String zoneOffset(ZoneOffset v) { return kind(v); }
        @OnEvent("URI") public String uri(URI v) { return kind(v); }
        @OnEvent("URL") public String url(URL v) { return kind(v); }
        @OnEvent("Path") public String path(Path v) { return v.getFileName().toString(); }
        @OnEvent("Date") public String date(Date v) { return v.toInstant().toString(); }
        @OnEvent("Calendar") public String calendar(Calendar v) { return v.toInstant().toString(); }
        @OnEvent("GregorianCalendar") public String gregorianCalendar(GregorianCalendar v) { return v.toInstant().toString(); }
        @OnEvent("TimeZone") public String timeZone(TimeZone v) { return v.getID(); }
        @OnEvent("SimpleTimeZone") public String simpleTimeZone(SimpleTimeZone v) { return v.getID(); }
        @OnEvent("java.sql.Date") public String sqlDate(java.sql.Date v) { return kind(v); }
        @OnEvent("Timestamp") public String timestamp(Timestamp v) { return v.toInstant().toString(); }
        @OnEvent("XMLGregorianCalendar") public String xmlCalendar(XMLGregorianCalendar v) { return v.toXMLFormat(); }
    }

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static ParleyClient client;
    private static ClientSocket types;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder().build());
        AnnotatedNamespace.of(Types.class).register(parley, NamespaceInstances.constructed(Types.class));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        client = ParleyClient.connect(URI.create("http://127.0.0.1:" + server.port()), ClientOptions.defaults());
        types = client.socket("/types", null);
        types.connected().get(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        client.close();
        parley.close();
        server.close();
    }

    /** A map entry as JSON-B reads it from an array: "key" must come before "value". */
    private static Map<String, Object> entry(String key, Object value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key", key);
        entry.put("value", value);
        return entry;
    }

    static Stream<Arguments> accepted() {
        Map<String, Object> order = Map.of("item", "tea", "quantity", 2);
        return Stream.of(
                Arguments.of("Object", Map.of("a", 1), "true {\"a\":1}"),
                Arguments.of("String", "tea", "tea"),
                Arguments.of("boolean", true, "boolean true"),
                Arguments.of("Boolean", false, "Boolean false"),
                Arguments.of("int", -42, "int -42"),
                Arguments.of("long", 1L << 40, "long 1099511627776"),
                Arguments.of("short", -7, "short -7"),
                Arguments.of("byte", 127, "byte 127"),
                Arguments.of("double", 1.5, "double 1.5"),
                Arguments.of("float", 2.5, "float 2.5"),
                Arguments.of("Integer", 7, "Integer 7"),
                Arguments.of("Long", 8, "Long 8"),
                Arguments.of("Double", 2, "Double 2.0"),
                Arguments.of("BigDecimal", new BigDecimal("0.10"), "BigDecimal 0.10"),
                Arguments.of("BigInteger", new BigInteger("123456789012345678901234567890"),
                        "BigInteger 123456789012345678901234567890"),
                Arguments.of("Number", 7, "Long 7"),
                Arguments.of("byte[]", new byte[] {1, 2, 3}, "[1, 2, 3]"),
                Arguments.of("JsonValue", 5, "NUMBER 5"),
                Arguments.of("JsonStructure", List.of(1), "ARRAY [1]"),
                Arguments.of("JsonObject", Map.of("a", 3), "3"),
                Arguments.of("JsonArray", List.of(1, "x"), "2 [1,\"x\"]"),
                Arguments.of("JsonString", "s", "s"),
                Arguments.of("JsonNumber", 3, "true 3"),

                Arguments.of("char", "x", "char x"),
                Arguments.of("Character", "y", "Character y"),
                Arguments.of("pojo", order, "tea x2"),
                Arguments.of("protected constructor", Map.of("a", 4), "a=4"),
                Arguments.of("protected nested", Map.of("a", 5), "a=5"),
                Arguments.of("record", order, "Line[item=tea, quantity=2]"),
                Arguments.of("record with creator", Map.of("from", 1, "to", 3), "Span[from=1, to=3]"),
                Arguments.of("creator", Map.of("item", "tea", "price", new BigDecimal("2.50")), "tea at 2.50"),
                Arguments.of("factory", Map.of("code", "spring"), "SPRING"),
                Arguments.of("constructor properties", Map.of("x", 1, "y", 2), "1,2"),
                Arguments.of("enum", "GREEN", "GREEN"),
                Arguments.of("package-private enum", "LARGE", "LARGE"),
                Arguments.of("@JsonbTypeInfo", Map.of("@type", "dog", "name", "Rex"), "String Rex Dog"),
                Arguments.of("@JsonbTypeDeserializer", Map.of("f", 212), "Double 100.0"),
                Arguments.of("@JsonbTypeAdapter", "12.50 EUR", "12.50 EUR"),

                Arguments.of("Collection", List.of(3, 1, 2), "ArrayList [3, 1, 2]"),
                Arguments.of("List", List.of(order), "tea"),
                Arguments.of("Set", List.of("a"), "HashSet [a]"),
                Arguments.of("SortedSet", List.of(3, 1, 2), "TreeSet [1, 2, 3]"),
                Arguments.of("NavigableSet", List.of(3, 1, 2), "TreeSet [1, 2, 3]"),
                Arguments.of("Queue", List.of(3, 1, 2), "ArrayDeque [3, 1, 2]"),
                Arguments.of("Deque", List.of(3, 1, 2), "Integer 2"),
                Arguments.of("ArrayList", List.of("a", "b"), "ArrayList [a, b]"),
                Arguments.of("LinkedHashSet", List.of("b", "a"), "LinkedHashSet [b, a]"),
                Arguments.of("EnumSet", List.of("GREEN", "RED"), "[RED, GREEN]"),
                Arguments.of("Map", Map.of("a", 1), "HashMap {a=1}"),
                Arguments.of("Map", List.of(entry("k", 2)), "HashMap {k=2}"),
                Arguments.of("SortedMap", new LinkedHashMap<>(Map.of("b", 1, "a", 2)), "TreeMap {a=2, b=1}"),
                Arguments.of("NavigableMap", Map.of("a", 1), "TreeMap {a=1}"),
                Arguments.of("ConcurrentMap", Map.of("a", 1), "ConcurrentHashMap {a=1}"),
                Arguments.of("ConcurrentNavigableMap", Map.of("a", 1), "ConcurrentSkipListMap {a=1}"),
                Arguments.of("HashMap", Map.of("o", order), "String tea"),
                Arguments.of("LinkedHashMap", Map.of("a", 1), "LinkedHashMap {a=1}"),
                Arguments.of("Map with Integer keys", Map.of("1", List.of(order)), "Integer 1 tea"),
                Arguments.of("Order[]", List.of(order, Map.of("item", "jam")), "2 jam"),
                Arguments.of("int[]", List.of(1, 2), "[1, 2]"),
                Arguments.of("String[]", List.of("a", "b"), "[a, b]"),
                Arguments.of("Object[]", List.of("a", 1), "[a, 1]"),
                Arguments.of("Optional", order, "tea"),
                Arguments.of("Optional", null, "empty"),
                Arguments.of("OptionalInt", 5, "OptionalInt[5]"),
                Arguments.of("OptionalInt", null, "OptionalInt.empty"),
                Arguments.of("OptionalLong", 6, "OptionalLong[6]"),
                Arguments.of("OptionalDouble", 0.5, "OptionalDouble[0.5]"),
                Arguments.of("wildcard", List.of(order), "tea"),
                Arguments.of("generic class", Map.of("value", order), "tea"),
                Arguments.of("bounded type variable", order, "tea"),

                Arguments.of("UUID", "123e4567-e89b-12d3-a456-426614174000",
                        "UUID 123e4567-e89b-12d3-a456-426614174000"),
                Arguments.of("Instant", "2024-01-02T03:04:05Z", "Instant 2024-01-02T03:04:05Z"),
                Arguments.of("LocalDate", "2024-01-02", "LocalDate 2024-01-02"),
                Arguments.of("LocalDateTime", "2024-01-02T03:04:05", "LocalDateTime 2024-01-02T03:04:05"),
                Arguments.of("LocalTime", "03:04:05", "LocalTime 03:04:05"),
                Arguments.of("OffsetDateTime", "2024-01-02T03:04:05+02:00", "OffsetDateTime 2024-01-02T03:04:05+02:00"),
                Arguments.of("OffsetTime", "03:04:05+02:00", "OffsetTime 03:04:05+02:00"),
                Arguments.of("ZonedDateTime", "2024-01-02T03:04:05+01:00[Europe/Paris]",
                        "ZonedDateTime 2024-01-02T03:04:05+01:00[Europe/Paris]"),
                Arguments.of("Duration", "PT5S", "Duration PT5S"),
                Arguments.of("Period", "P2D", "Period P2D"),
                Arguments.of("YearMonth", "2024-01", "YearMonth 2024-01"),
                Arguments.of("MonthDay", "--01-02", "MonthDay --01-02"),
                Arguments.of("ZoneId", "Europe/Paris", "Europe/Paris"),
                Arguments.of("ZoneOffset", "+02:00", "ZoneOffset +02:00"),
                Arguments.of("URI", "urn:isbn:123", "URI urn:isbn:123"),
                Arguments.of("URL", "http://example.com/a", "URL http://example.com/a"),
                Arguments.of("Path", "/tmp/notes.txt", "notes.txt"),
                Arguments.of("Date", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
                Arguments.of("Calendar", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
                Arguments.of("GregorianCalendar", "2024-01-02", "2024-01-02T00:00:00Z"),
                Arguments.of("TimeZone", "Europe/Paris", "Europe/Paris"),
                Arguments.of("SimpleTimeZone", "UTC", "UTC"),
                Arguments.of("java.sql.Date", "2024-01-02", "Date 2024-01-02"),
                Arguments.of("Timestamp", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
                Arguments.of("XMLGregorianCalendar", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void anAcceptedTypeBindsARealValue(String event, Object argument, String expected) throws Exception {
        assertThat(types.emitWithAck(Duration.ofSeconds(5), event, argument).get(5, TimeUnit.SECONDS).getString(0))
                .isEqualTo(expected);
    }

    @Test
    void everyAcceptedEventIsExercised() {
        Set<String> exercised = new java.util.HashSet<>();
        accepted().forEach(a -> exercised.add((String) a.get()[0]));
        assertThat(exercised).containsExactlyInAnyOrderElementsOf(AnnotatedNamespace.of(Types.class).events());
    }

    /** Types JSON-B reads its own way still get a reason, never Yasson's "Internal error: null". */
    static Stream<Arguments> wrongForJsonb() {
        String o = HandlerMethodTest.class.getName() + "$";
        return Stream.of(
                Arguments.of("@JsonbTypeInfo", "x", o + "Animal: expected a JSON object, got the string \"x\""),
                Arguments.of("@JsonbTypeInfo", Map.of("@type", "cat"), o + "Animal: Unknown alias \"cat\" of the type "
                        + o + "Animal. Known aliases: [dog]"),
                Arguments.of("Optional", "x", "java.util.Optional<" + o + "Order>: expected a JSON object, got the "
                        + "string \"x\""),
                Arguments.of("List", List.of("x"), "java.util.List<" + o + "Order>: Incorrect position for processing "
                        + "type: class " + o + "Order. Received event: VALUE_STRING Allowed: [START_OBJECT]"),
                Arguments.of("UUID", "x", "java.util.UUID: Invalid UUID string: x"),
                Arguments.of("enum", "BLUE", o + "Color: No enum constant " + HandlerMethodTest.class.getCanonicalName()
                        + ".Color.BLUE"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongForJsonb")
    void aValueJsonbCannotReadIsExplained(String event, Object argument, String error) throws Exception {
        JsonObject answer = types.emitWithAck(Duration.ofSeconds(5), event, argument).get(5, TimeUnit.SECONDS)
                .getJsonObject(0);
        String article = "aeiouAEIOU".indexOf(error.charAt(0)) >= 0 ? "an " : "a ";
        assertThat(answer.getString("message")).isEqualTo("argument 1 of event \"" + event + "\" is not " + article + error);
    }

    @Test
    void theReasonOfAnExceptionChainIsNeverNull() {
        // Yasson's wrapping of an exception without a message: the innermost class is named.
        assertThat(ValueConversion.reason(new JsonbException("Internal error: null", new NoSuchElementException())))
                .isEqualTo("java.util.NoSuchElementException");
        assertThat(ValueConversion.reason(new RuntimeException(new IllegalStateException())))
                .isEqualTo("java.lang.IllegalStateException");
        // The "Internal error: " prefix is dropped; a cause saying the same is not repeated.
        assertThat(ValueConversion.reason(new JsonbException("Internal error: No enum constant X.BLUE",
                new IllegalArgumentException("No enum constant X.BLUE")))).isEqualTo("No enum constant X.BLUE");
        // Outermost (names the property) and innermost (names the value).
        assertThat(ValueConversion.reason(new JsonbException("Unable to deserialize property 'a' because of: x.",
                new JsonbException("x.", new NumberFormatException("For input string: \"q\"")))))
                .isEqualTo("Unable to deserialize property 'a' because of: x. (For input string: \"q\")");
        // One line, capped.
        assertThat(ValueConversion.reason(new IllegalArgumentException("a\r\nb" + "c".repeat(400))))
                .startsWith("a\\u000d\\u000abccc").endsWith("c\u2026").hasSize(301);
    }

    // ---------------------------------------------------------------- types refused at registration

    public interface Shape {
    }

    public abstract static class AbstractShape {
    }

    public static class NoDefaultConstructor {
        public NoDefaultConstructor(int a) {
        }
    }

    public static class PrivateConstructor {
        private PrivateConstructor() {
        }
    }

    public static class PackagePrivateConstructor {
        PackagePrivateConstructor() {
        }
    }

    static class NotPublic {
        public int a;
    }

    public class Inner {
        public int a;
    }

    public static class TwoCreators {
        @JsonbCreator
        public TwoCreators(@JsonbProperty("a") int a) {
        }

        @JsonbCreator
        public static TwoCreators of(@JsonbProperty("a") String a) {
            return new TwoCreators(0);
        }
    }

    public static class ProtectedCreator {
        @JsonbCreator
        protected ProtectedCreator(@JsonbProperty("a") int a) {
        }
    }

    public record TwoConstructors(int a) {
        public TwoConstructors() {
            this(0);
        }
    }

    // One class per refusal: registration stops at the first.
    @SocketNamespace("/x") public static class ServletRequest { @OnEvent("e") public void track(Socket socket, HttpServletRequest request, String what) { } }
    @SocketNamespace("/x") public static class WebSocketSession { @OnEvent("e") public void on(Session session) { } }
    @SocketNamespace("/x") public static class Cdi { @OnEvent("e") public void on(BeanManager beans) { } }
    @SocketNamespace("/x") public static class JaxRs { @OnEvent("e") public void on(UriInfo uri) { } }
    @SocketNamespace("/x") public static class Stream_ { @OnEvent("e") public void on(InputStream in) { } }
    @SocketNamespace("/x") public static class Reader_ { @OnEvent("e") public void on(String text, Reader reader) { } }
    @SocketNamespace("/x") public static class Thread_ { @OnEvent("e") public void on(Thread thread) { } }
    @SocketNamespace("/x") public static class Class_ { @OnEvent("e") public void on(Class<?> type) { } }
    @SocketNamespace("/x") public static class Parley { @OnEvent("e") public void on(ParleyServer server) { } }
    @SocketNamespace("/x") public static class Principal_ { @OnEvent("e") public void on(Principal who) { } }
    @SocketNamespace("/x") public static class Interface { @OnEvent("e") public void on(Shape shape) { } }
    @SocketNamespace("/x") public static class Runnable_ { @OnEvent("e") public void on(Runnable task) { } }
    @SocketNamespace("/x") public static class CharSequence_ { @OnEvent("e") public void on(CharSequence text) { } }
    @SocketNamespace("/x") public static class Iterable_ { @OnEvent("e") public void on(Iterable<String> items) { } }
    @SocketNamespace("/x") public static class Serializable_ { @OnEvent("e") public void on(Serializable value) { } }
    @SocketNamespace("/x") public static class BlockingQueue_ { @OnEvent("e") public void on(BlockingQueue<String> queue) { } }
    @SocketNamespace("/x") public static class Abstract { @OnEvent("e") public void on(AbstractShape shape) { } }
    @SocketNamespace("/x") public static class AbstractList_ { @OnEvent("e") public void on(AbstractList<String> list) { } }
    @SocketNamespace("/x") public static class AtomicNumber { @OnEvent("e") public void on(AtomicInteger count) { } }
    @SocketNamespace("/x") public static class NoConstructor { @OnEvent("e") public void on(NoDefaultConstructor value) { } }
    @SocketNamespace("/x") public static class Private { @OnEvent("e") public void on(PrivateConstructor value) { } }
    @SocketNamespace("/x") public static class PackagePrivate { @OnEvent("e") public void on(PackagePrivateConstructor value) { } }
    @SocketNamespace("/x") public static class Hidden { @OnEvent("e") public void on(NotPublic value) { } }
    @SocketNamespace("/x") public static class InnerClass { @OnEvent("e") public void on(Inner value) { } }
    @SocketNamespace("/x") public static class Creators { @OnEvent("e") public void on(TwoCreators value) { } }
    @SocketNamespace("/x") public static class HiddenCreator { @OnEvent("e") public void on(ProtectedCreator value) { } }
    @SocketNamespace("/x") public static class RecordConstructors { @OnEvent("e") public void on(TwoConstructors value) { } }
    @SocketNamespace("/x") public static class RawEnumSet { @OnEvent("e") @SuppressWarnings("rawtypes") public void on(EnumSet colors) { } }
    @SocketNamespace("/x") public static class EnumMap_ { @OnEvent("e") public void on(EnumMap<Color, String> names) { } }
    @SocketNamespace("/x") public static class File_ { @OnEvent("e") public void on(File file) { } }
    @SocketNamespace("/x") public static class ListOfRequests { @OnEvent("e") public void on(List<HttpServletRequest> requests) { } }
    @SocketNamespace("/x") public static class MapOfRunnables { @OnEvent("e") public void on(Map<String, Runnable> tasks) { } }
    @SocketNamespace("/x") public static class ArrayOfShapes { @OnEvent("e") public void on(Shape[] shapes) { } }
    @SocketNamespace("/x") public static class Deep { @OnEvent("e") public void on(Map<String, List<Optional<Thread>>> deep) { } }
    @SocketNamespace("/x") public static class Wildcard { @OnEvent("e") public void on(List<? extends Runnable> tasks) { } }
    @SocketNamespace("/x") public static class TypeVariable { @OnEvent("e") public <T> void on(T value) { } }
    @SocketNamespace("/x") public static class ListOfT { @OnEvent("e") public <T extends Order> void on(List<T> values) { } }
    @SocketNamespace("/x") public static class GenericArray { @OnEvent("e") public void on(List<String>[] lists) { } }

    private static final String SERVICES = "an event handler takes Socket (its principal(), rooms and namespace), "
            + "Handshake (headers, query, address, auth), Ack, Args and the event's arguments; inject services into "
            + "the namespace class with CDI @Inject";

    static Stream<Arguments> refused() {
        String o = HandlerMethodTest.class.getName() + "$";
        String framework = " is a container or framework object, not data a client sends";
        String iface = " is an interface, so JSON-B cannot tell which class to create";
        String noConstructor = " has no public or protected no-argument constructor and no public @JsonbCreator "
                + "constructor or factory method, so JSON-B cannot create it";
        return Stream.of(
                Arguments.of(WebSocketSession.class, "parameter 1 (session)", "jakarta.websocket.Session", "it" + framework),
                Arguments.of(Cdi.class, "parameter 1 (beans)", "jakarta.enterprise.inject.spi.BeanManager", "it" + framework),
                Arguments.of(JaxRs.class, "parameter 1 (uri)", "jakarta.ws.rs.core.UriInfo", "it" + framework),
                Arguments.of(Stream_.class, "parameter 1 (in)", "java.io.InputStream", "it" + framework),
                Arguments.of(Reader_.class, "parameter 2 (reader)", "java.io.Reader", "it" + framework),
                Arguments.of(Thread_.class, "parameter 1 (thread)", "java.lang.Thread", "it" + framework),
                Arguments.of(Class_.class, "parameter 1 (type)", "java.lang.Class<?>", "it" + framework),
                Arguments.of(Parley.class, "parameter 1 (server)", "dev.parley.server.ParleyServer", "it" + framework),
                Arguments.of(Principal_.class, "parameter 1 (who)", "java.security.Principal", "it" + framework),
                Arguments.of(Interface.class, "parameter 1 (shape)", o + "Shape", "it" + iface),
                Arguments.of(Runnable_.class, "parameter 1 (task)", "java.lang.Runnable", "it" + iface),
                Arguments.of(CharSequence_.class, "parameter 1 (text)", "java.lang.CharSequence", "it" + iface),
                Arguments.of(Iterable_.class, "parameter 1 (items)", "java.lang.Iterable<java.lang.String>", "it" + iface),
                Arguments.of(Serializable_.class, "parameter 1 (value)", "java.io.Serializable", "it" + iface),
                Arguments.of(BlockingQueue_.class, "parameter 1 (queue)", "java.util.concurrent.BlockingQueue<java.lang.String>",
                        "it is a collection interface JSON-B has no implementation of"),
                Arguments.of(Abstract.class, "parameter 1 (shape)", o + "AbstractShape",
                        "it is an abstract class, so JSON-B cannot tell which class to create"),
                Arguments.of(AbstractList_.class, "parameter 1 (list)", "java.util.AbstractList<java.lang.String>",
                        "it is an abstract class, so JSON-B cannot tell which class to create"),
                Arguments.of(AtomicNumber.class, "parameter 1 (count)", "java.util.concurrent.atomic.AtomicInteger",
                        "it is a Number type Parley does not convert to"),
                Arguments.of(NoConstructor.class, "parameter 1 (value)", o + "NoDefaultConstructor", "it" + noConstructor),
                Arguments.of(Private.class, "parameter 1 (value)", o + "PrivateConstructor", "it" + noConstructor),
                Arguments.of(PackagePrivate.class, "parameter 1 (value)", o + "PackagePrivateConstructor", "it" + noConstructor),
                Arguments.of(File_.class, "parameter 1 (file)", "java.io.File", "it" + noConstructor),
                Arguments.of(EnumMap_.class, "parameter 1 (names)", "java.util.EnumMap<" + o + "Color, java.lang.String>",
                        "it" + noConstructor),
                Arguments.of(Hidden.class, "parameter 1 (value)", o + "NotPublic",
                        "it is not public, so JSON-B cannot create it or set its properties (make it public)"),
                Arguments.of(InnerClass.class, "parameter 1 (value)", o + "Inner",
                        "it is an inner class, which JSON-B cannot create without an instance of "
                                + HandlerMethodTest.class.getName() + " (declare it static)"),
                Arguments.of(Creators.class, "parameter 1 (value)", o + "TwoCreators",
                        "it has more than one @JsonbCreator (keep one)"),
                Arguments.of(HiddenCreator.class, "parameter 1 (value)", o + "ProtectedCreator",
                        "it has a @JsonbCreator constructor that is not public, so JSON-B cannot call it (make it public)"),
                Arguments.of(RecordConstructors.class, "parameter 1 (value)", o + "TwoConstructors",
                        "it is a record with more than one constructor, which JSON-B refuses unless one is marked "
                                + "(annotate the constructor JSON-B should use with @JsonbCreator)"),
                Arguments.of(RawEnumSet.class, "parameter 1 (colors)", "java.util.EnumSet",
                        "it has no element type, which JSON-B needs to create it (declare EnumSet<YourEnum>)"),
                Arguments.of(ListOfRequests.class, "parameter 1 (requests)",
                        "java.util.List<jakarta.servlet.http.HttpServletRequest>",
                        "its type argument jakarta.servlet.http.HttpServletRequest" + framework),
                Arguments.of(MapOfRunnables.class, "parameter 1 (tasks)", "java.util.Map<java.lang.String, java.lang.Runnable>",
                        "its type argument java.lang.Runnable" + iface),
                Arguments.of(ArrayOfShapes.class, "parameter 1 (shapes)", o + "Shape[]",
                        "its component type " + o + "Shape" + iface),
                Arguments.of(Deep.class, "parameter 1 (deep)",
                        "java.util.Map<java.lang.String, java.util.List<java.util.Optional<java.lang.Thread>>>",
                        "its type argument java.lang.Thread" + framework),
                Arguments.of(Wildcard.class, "parameter 1 (tasks)", "java.util.List<? extends java.lang.Runnable>",
                        "its type argument java.lang.Runnable" + iface),
                Arguments.of(TypeVariable.class, "parameter 1 (value)", "T",
                        "it is a type variable, so JSON-B cannot tell which class to create "
                                + "(declare the parameter with a concrete type)"),
                Arguments.of(ListOfT.class, "parameter 1 (values)", "java.util.List<T>",
                        "its type argument T is a type variable, so JSON-B cannot tell which class to create"),
                Arguments.of(GenericArray.class, "parameter 1 (lists)", "java.util.List<java.lang.String>[]",
                        "it is an array of a generic type, which JSON-B fails to create (take a List instead)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aParameterNoArgumentCanBindToFailsRegistration(Class<?> namespace, String parameter, String type, String reason) {
        String method = Arrays.stream(namespace.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(OnEvent.class))
                .findFirst().orElseThrow().getName();
        assertThatThrownBy(() -> AnnotatedNamespace.of(namespace)).isInstanceOf(NamespaceDefinitionException.class)
                .hasMessageStartingWith("@OnEvent method " + namespace.getName() + "." + method + ": " + parameter
                        + " of type " + type + " cannot take an event argument: " + reason);
    }

    private static Type parameterType(Class<?> namespace) {
        return Arrays.stream(namespace.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(OnEvent.class))
                .findFirst().orElseThrow().getGenericParameterTypes()[0];
    }

    /**
     * The ground truth of the refusals about JSON-B: Yasson itself fails on each such type (or,
     * for BlockingQueue, makes something the method cannot take). Should a Yasson upgrade learn
     * one of them, this fails, and ArgumentTypes can accept it.
     */
    static Stream<Arguments> refusedByJsonb() {
        return Stream.of(
                Arguments.of(Interface.class, "{}"), Arguments.of(Runnable_.class, "{}"),
                Arguments.of(CharSequence_.class, "\"x\""), Arguments.of(Iterable_.class, "[]"),
                Arguments.of(Serializable_.class, "{}"), Arguments.of(Abstract.class, "{}"),
                Arguments.of(AbstractList_.class, "[]"), Arguments.of(NoConstructor.class, "{}"),
                Arguments.of(Private.class, "{}"), Arguments.of(PackagePrivate.class, "{}"),
                Arguments.of(Hidden.class, "{\"a\":1}"), Arguments.of(InnerClass.class, "{\"a\":1}"),
                Arguments.of(Creators.class, "{\"a\":1}"), Arguments.of(HiddenCreator.class, "{\"a\":1}"),
                Arguments.of(RecordConstructors.class, "{\"a\":1}"), Arguments.of(RawEnumSet.class, "[\"RED\"]"),
                Arguments.of(EnumMap_.class, "{\"RED\":\"r\"}"), Arguments.of(File_.class, "{\"path\":\"x\"}"),
                Arguments.of(TypeVariable.class, "{}"), Arguments.of(GenericArray.class, "[[\"x\"]]"),
                Arguments.of(BlockingQueue_.class, "[\"x\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByJsonb")
    void jsonbItselfCannotCreateWhatIsRefused(Class<?> namespace, String json) throws Exception {
        Type type = parameterType(namespace);
        try (Jsonb jsonb = JsonbBuilder.create()) {
            Object made;
            try {
                made = jsonb.fromJson(json, type);
            } catch (JsonbException e) {
                return; // refused by JSON-B too
            }
            Class<?> raw = (Class<?>) (type instanceof ParameterizedType p ? p.getRawType() : type);
            assertThat(made).as("what JSON-B made for %s", type.getTypeName()).isNotInstanceOf(raw);
        }
    }

    @Test
    void theReportedServletRequestParameterFailsRegistrationWithAHint() {
        assertThatThrownBy(() -> AnnotatedNamespace.of(ServletRequest.class))
                .isInstanceOf(NamespaceDefinitionException.class)
                .hasMessage("@OnEvent method " + ServletRequest.class.getName() + ".track: parameter 2 (request) of type "
                        + "jakarta.servlet.http.HttpServletRequest cannot take an event argument: it is a container or "
                        + "framework object, not data a client sends (" + SERVICES + ")");
    }

    @Test
    void anInterfaceRefusalSaysWhatToTakeInstead() {
        assertThatThrownBy(() -> AnnotatedNamespace.of(Interface.class))
                .hasMessageEndingWith("it is an interface, so JSON-B cannot tell which class to create (take a "
                        + "concrete public class or a record, JsonObject or JsonValue to read the JSON yourself, or "
                        + "annotate the type with @JsonbTypeInfo (its subtypes), @JsonbTypeDeserializer or "
                        + "@JsonbTypeAdapter)");
    }
}
