package dev.parley.jakarta;

import dev.parley.protocol.socketio.ValueConversion.Shape;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * Which parameter types can take an event argument, decided when a namespace class is registered
 * so that a parameter that could never be bound fails the deployment instead of every event.
 * <p>
 * A type is accepted when {@link PayloadConverter} converts to it itself, or when JSON-B can create
 * it from JSON. The JSON-B part follows what Yasson 3.0.4 (the implementation of the standalone
 * server, Payara and WildFly) actually does, checked by experiment and by its source
 * ({@code DeserializationModelCreator}, {@code TypeDeserializers}, {@code CollectionInstanceCreator},
 * {@code MapInstanceCreator}, {@code AnnotationIntrospector.getCreator}): its built-in types; enums;
 * the collection and map interfaces it maps to a default implementation; arrays; {@code Optional};
 * types carrying {@code @JsonbTypeDeserializer}, {@code @JsonbTypeAdapter} or {@code @JsonbTypeInfo};
 * public classes with one public {@code @JsonbCreator} constructor or static factory, a record's
 * only constructor, a public {@code @ConstructorProperties} constructor, or a public or protected
 * no-argument constructor. Type arguments and array components are checked the same way; fields
 * are left to JSON-B.
 * <p>
 * JSON-B annotations are recognised by name, so this class links to no JSON-B class (the
 * application may have none, which {@link PayloadConverter#requireJsonb} reports).
 */
final class ArgumentTypes {

    /** Why a type cannot take an event argument, and what to write instead. */
    record Refusal(String reason, String hint) {
    }

    static final String SERVICES_HINT = "an event handler takes Socket (its principal(), rooms and namespace), "
            + "Handshake (headers, query, address, auth), Ack, Args and the event's arguments; "
            + "inject services into the namespace class with CDI @Inject";

    private static final String JSONB_HINT = "take a concrete public class or a record, JsonObject or JsonValue to "
            + "read the JSON yourself, or annotate the type with @JsonbTypeInfo (its subtypes), "
            + "@JsonbTypeDeserializer or @JsonbTypeAdapter";

    /** Converted by {@link PayloadConverter} itself (numbers also through {@link Number}). */
    private static final Set<Class<?>> CONVERTED = Set.of(Object.class, String.class, Boolean.class, Integer.class,
            Long.class, Double.class, Float.class, Short.class, Byte.class, BigDecimal.class, BigInteger.class,
            Number.class, byte[].class, JsonValue.class, JsonStructure.class, JsonObject.class, JsonArray.class,
            JsonString.class, JsonNumber.class);

    /**
     * Yasson's built-in types ({@code TypeDeserializers}), by name: some are abstract or have no
     * public constructor, and some live in modules a runtime may lack (java.sql, java.xml).
     */
    private static final Set<String> JSONB_BUILT_IN = Set.of("java.lang.Character", "java.util.Calendar",
            "java.util.GregorianCalendar", "java.util.Date", "java.util.TimeZone", "java.util.SimpleTimeZone",
            "java.util.UUID", "java.time.Duration", "java.time.Instant", "java.time.LocalDate",
            "java.time.LocalDateTime", "java.time.LocalTime", "java.time.MonthDay", "java.time.OffsetDateTime",
            "java.time.OffsetTime", "java.time.Period", "java.time.YearMonth", "java.time.ZonedDateTime",
            "java.time.ZoneId", "java.time.ZoneOffset", "java.nio.file.Path", "java.net.URI", "java.net.URL",
            "java.sql.Date", "java.sql.Timestamp", "javax.xml.datatype.XMLGregorianCalendar", "java.util.Optional",
            "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble");

    /**
     * The collection interfaces Yasson fills with a default implementation that is an instance of
     * them (an ArrayList, HashSet, TreeSet or ArrayDeque). Any other, BlockingQueue say, gets an
     * ArrayDeque too, which the method then cannot take.
     */
    private static final Set<Class<?>> COLLECTION_INTERFACES = Set.of(Collection.class, List.class, Set.class,
            SortedSet.class, NavigableSet.class, Queue.class, Deque.class);

    /** Likewise for maps (HashMap, TreeMap, ConcurrentHashMap, ConcurrentSkipListMap). */
    private static final Set<Class<?>> MAP_INTERFACES = Set.of(Map.class, SortedMap.class, NavigableMap.class,
            ConcurrentMap.class, ConcurrentNavigableMap.class);

    /** Packages of container, framework and Parley objects: they are there to be injected or given, not sent. */
    private static final List<String> FRAMEWORK_PACKAGES = List.of("jakarta.servlet", "jakarta.websocket",
            "jakarta.enterprise", "jakarta.ws.rs", "jakarta.ejb", "jakarta.persistence", "jakarta.transaction",
            "jakarta.inject", "jakarta.security.enterprise", "jakarta.jms", "jakarta.faces", "jakarta.mail",
            "jakarta.batch", "jakarta.resource", "javax.servlet", "javax.websocket", "javax.enterprise",
            "javax.ws.rs", "javax.ejb", "javax.persistence", "javax.inject", "javax.sql", "java.lang.reflect",
            "java.lang.invoke", "java.nio.channels", "dev.parley.server", "dev.parley.engine", "dev.parley.adapter",
            "dev.parley.transport", "dev.parley.client", "dev.parley.auth", "dev.parley.standalone");

    /** Classes and interfaces of the JDK that hold a resource or a thread rather than data. */
    private static final Set<String> FRAMEWORK_TYPES = Set.of("java.io.InputStream", "java.io.OutputStream",
            "java.io.Reader", "java.io.Writer", "java.lang.Thread", "java.lang.ThreadGroup", "java.lang.ThreadLocal",
            "java.lang.Class", "java.lang.ClassLoader", "java.lang.Runtime", "java.lang.Process",
            "java.lang.ProcessBuilder", "java.util.concurrent.Executor", "java.util.concurrent.Future",
            "java.util.concurrent.locks.Lock", "java.util.Timer", "java.util.logging.Logger", "java.net.Socket",
            "java.net.ServerSocket", "java.sql.Connection", "java.sql.Statement", "java.sql.ResultSet",
            "java.security.Principal", "javax.security.auth.Subject");

    private ArgumentTypes() {
    }

    /** Null when an event argument can be bound to {@code type}, else why not. */
    static Refusal check(Type type) {
        if (type instanceof TypeVariable<?> v) {
            // Yasson creates the variable's bound when the parameter is the variable itself; an
            // unbounded one it cannot resolve ("Error resolving runtime type").
            Type bound = v.getBounds()[0];
            if (bound == Object.class) {
                return new Refusal("it is a type variable, so JSON-B cannot tell which class to create",
                        "declare the parameter with a concrete type");
            }
            return check(bound, "its bound ");
        }
        if (type instanceof GenericArrayType) {
            // Yasson 3.0.4 fails on a generic array given as the root type (it reflects on the JDK's
            // GenericArrayTypeImpl and is refused access).
            return new Refusal("it is an array of a generic type, which JSON-B fails to create",
                    "take a List instead");
        }
        return check(type, "");
    }

    /**
     * {@code role} says where the type sits in the parameter's type, for the message: empty for the
     * parameter's own type (then called "it"), else "its type argument " and the like.
     */
    private static Refusal check(Type type, String role) {
        if (type instanceof Class<?> c) {
            return checkClass(c, role, false);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Refusal r = checkClass(raw, role, true);
            if (r != null) {
                return r;
            }
            for (Type arg : p.getActualTypeArguments()) {
                r = check(arg, "its type argument ");
                if (r != null) {
                    return r;
                }
            }
            return null;
        }
        if (type instanceof GenericArrayType g) {
            return check(g.getGenericComponentType(), "its component type ");
        }
        if (type instanceof WildcardType w) {
            // Yasson reads the most specific bound: a lower one when given, else the upper one.
            Type bound = w.getLowerBounds().length > 0 ? w.getLowerBounds()[0] : w.getUpperBounds()[0];
            return check(bound, role);
        }
        if (type instanceof TypeVariable<?> v) {
            // Inside a type argument Yasson resolves an unresolvable variable to Object: a List<T>
            // would be filled with maps, which the method would meet as a ClassCastException.
            return new Refusal(role + v.getName() + " is a type variable, so JSON-B cannot tell which class to create",
                    "declare the parameter with a concrete type");
        }
        return new Refusal((role.isEmpty() ? "it" : role + type.getTypeName()) + " is not a type JSON-B can create",
                JSONB_HINT);
    }

    private static Refusal checkClass(Class<?> c, String role, boolean parameterized) {
        String what = role.isEmpty() ? "it" : role + c.getTypeName();
        if (c.isPrimitive() || CONVERTED.contains(c)) {
            return null;
        }
        if (JsonValue.class.isAssignableFrom(c)) {
            return new Refusal(what + " is not one of the JSON-P types Parley binds",
                    "take JsonValue, JsonStructure, JsonObject, JsonArray, JsonString or JsonNumber");
        }
        if (isFramework(c)) {
            return new Refusal(what + " is a container or framework object, not data a client sends", SERVICES_HINT);
        }
        if (c.isArray()) {
            return check(c.getComponentType(), "its component type ");
        }
        if (jsonbAnnotated(c)) {
            return null; // the application told JSON-B how to make it
        }
        if (JSONB_BUILT_IN.contains(c.getName()) || c.isEnum()) {
            return null;
        }
        if (Number.class.isAssignableFrom(c)) {
            // The converter turns every Number into the standard types; an AtomicInteger would fail the call.
            return new Refusal(what + " is a Number type Parley does not convert to",
                    "take int, long, double, their wrappers, BigInteger, BigDecimal or Number");
        }
        if (c == EnumSet.class) {
            return parameterized ? null : new Refusal(what + " has no element type, which JSON-B needs to create it",
                    "declare EnumSet<YourEnum>");
        }
        if (Collection.class.isAssignableFrom(c) && c.isInterface()) {
            return COLLECTION_INTERFACES.contains(c) ? null : new Refusal(what
                    + " is a collection interface JSON-B has no implementation of", "take Collection, List, Set, "
                    + "SortedSet, NavigableSet, Queue, Deque, or a concrete class with a public no-argument constructor");
        }
        if (Map.class.isAssignableFrom(c) && c.isInterface()) {
            return MAP_INTERFACES.contains(c) ? null : new Refusal(what + " is a map interface JSON-B has no "
                    + "implementation of", "take Map, SortedMap, NavigableMap, ConcurrentMap, ConcurrentNavigableMap, "
                    + "or a concrete class with a public no-argument constructor");
        }
        if (c.isInterface()) {
            return new Refusal(what + " is an interface, so JSON-B cannot tell which class to create", JSONB_HINT);
        }
        if (Modifier.isAbstract(c.getModifiers())) {
            return new Refusal(what + " is an abstract class, so JSON-B cannot tell which class to create", JSONB_HINT);
        }
        if (c.isAnonymousClass() || c.isLocalClass()) {
            return new Refusal(what + " is a local or anonymous class, which JSON-B cannot create",
                    "declare a top-level or static nested class");
        }
        if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            return new Refusal(what + " is an inner class, which JSON-B cannot create without an instance of "
                    + c.getEnclosingClass().getTypeName(), "declare it static");
        }
        // Yasson reaches constructors, fields and accessors through the public lookup: a nested
        // class declared protected is public in its class file, anything less is refused.
        if (!Modifier.isPublic(c.getModifiers()) && !Modifier.isProtected(c.getModifiers())) {
            return new Refusal(what + " is not public, so JSON-B cannot create it or set its properties",
                    "make it public");
        }
        return checkCreator(c, what);
    }

    /** How Yasson's AnnotationIntrospector.getCreator, then ClassModel.getDefaultConstructor, choose. */
    private static Refusal checkCreator(Class<?> c, String what) {
        List<Executable> creators = new ArrayList<>();
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (hasAnnotation(k, "jakarta.json.bind.annotation.JsonbCreator")) {
                creators.add(k);
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && hasAnnotation(m, "jakarta.json.bind.annotation.JsonbCreator")) {
                creators.add(m);
            }
        }
        if (creators.size() > 1) {
            return new Refusal(what + " has more than one @JsonbCreator", "keep one");
        }
        if (creators.size() == 1) {
            Executable creator = creators.get(0);
            // Called without setAccessible: anything but public is refused at the first event.
            String kind = creator instanceof Method ? "method " + creator.getName() : "constructor";
            if (!Modifier.isPublic(creator.getModifiers())) {
                return new Refusal(what + " has a @JsonbCreator " + kind + " that is not public, so JSON-B cannot "
                        + "call it", "make it public");
            }
            if (creator instanceof Method m && m.getReturnType() != c) {
                return new Refusal(what + " has a @JsonbCreator " + kind + " returning " + m.getReturnType().getTypeName()
                        + ", which JSON-B refuses", "return " + c.getSimpleName());
            }
            return null;
        }
        if (c.isRecord()) {
            return c.getDeclaredConstructors().length == 1 ? null : new Refusal(what + " is a record with more than "
                    + "one constructor, which JSON-B refuses unless one is marked", "annotate the constructor JSON-B "
                    + "should use with @JsonbCreator");
        }
        int withProperties = 0;
        for (Constructor<?> k : c.getConstructors()) {
            if (hasAnnotation(k, "java.beans.ConstructorProperties")) {
                withProperties++;
            }
        }
        if (withProperties == 1) {
            return null; // several: Yasson ignores them all and wants the no-argument constructor
        }
        try {
            Constructor<?> none = c.getDeclaredConstructor();
            // Yasson calls a public one as is and makes a protected one accessible; nothing else.
            if (Modifier.isPublic(none.getModifiers()) || none.getModifiers() == Modifier.PROTECTED) {
                return null;
            }
        } catch (NoSuchMethodException e) {
            // falls through to the refusal
        }
        return new Refusal(what + " has no public or protected no-argument constructor and no public @JsonbCreator "
                + "constructor or factory method, so JSON-B cannot create it", "add a public no-argument constructor, "
                + "or annotate a public constructor or static factory method with @JsonbCreator (and its parameters "
                + "with @JsonbProperty unless the class is compiled with -parameters), or make it a record");
    }

    /**
     * What JSON {@code type} can be read from. Only classes that JSON-B reads as a whole object or
     * array are narrowed; the converter's own types and JSON-B's built-in, annotated and enum types
     * say for themselves what does not fit.
     */
    static Shape shapeOf(Type type) {
        Class<?> c = rawClass(type);
        if (c == Optional.class) {
            // JSON null is an empty Optional; anything else is read as the type argument.
            return type instanceof ParameterizedType p ? shapeOf(p.getActualTypeArguments()[0]) : Shape.ANY;
        }
        if (c != null && hasAnnotation(c, "jakarta.json.bind.annotation.JsonbTypeInfo")
                && !hasAnnotation(c, "jakarta.json.bind.annotation.JsonbTypeDeserializer")
                && !hasAnnotation(c, "jakarta.json.bind.annotation.JsonbTypeAdapter")) {
            return Shape.OBJECT; // the subtype is named by a property of the object
        }
        if (c == null || c.isPrimitive() || CONVERTED.contains(c) || JsonValue.class.isAssignableFrom(c)
                || Number.class.isAssignableFrom(c) || jsonbAnnotated(c) || JSONB_BUILT_IN.contains(c.getName())
                || c.isEnum()) {
            return Shape.ANY;
        }
        if (c.isArray() || Collection.class.isAssignableFrom(c)) {
            return Shape.ARRAY;
        }
        if (Map.class.isAssignableFrom(c)) {
            return Shape.OBJECT_OR_ARRAY;
        }
        return Shape.OBJECT;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getLowerBounds().length > 0 ? w.getLowerBounds()[0] : w.getUpperBounds()[0]);
        }
        return null;
    }

    private static boolean isFramework(Class<?> c) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(c);
        while (!todo.isEmpty()) {
            Class<?> t = todo.poll();
            if (FRAMEWORK_TYPES.contains(t.getName())) {
                return true;
            }
            String pkg = t.getPackageName();
            for (String p : FRAMEWORK_PACKAGES) {
                if (pkg.equals(p) || pkg.startsWith(p + ".")) {
                    return true;
                }
            }
            if (t.getSuperclass() != null) {
                todo.add(t.getSuperclass());
            }
            todo.addAll(List.of(t.getInterfaces()));
        }
        return false;
    }

    /** A type-level annotation with which JSON-B creates the type its own way. */
    private static boolean jsonbAnnotated(Class<?> c) {
        return hasAnnotation(c, "jakarta.json.bind.annotation.JsonbTypeDeserializer")
                || hasAnnotation(c, "jakarta.json.bind.annotation.JsonbTypeAdapter")
                || hasAnnotation(c, "jakarta.json.bind.annotation.JsonbTypeInfo");
    }

    private static boolean hasAnnotation(AnnotatedElement e, String name) {
        for (Annotation a : e.getDeclaredAnnotations()) {
            if (a.annotationType().getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
