package io.orderflow.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.orderflow.events.EventType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The code stays ready for a native executable (GraalVM is not installed here, so this is checked
 * statically; {@code ./mvnw verify -Pnative} runs the ITs against the binary where it is): every
 * type Jackson reads or writes is registered for reflection, nothing scans the classpath at run
 * time, and the resources the binary needs are where Quarkus includes them from.
 */
class NativeReadinessTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String APP_PACKAGE = "io.orderflow";

    @Test
    void everyTypeJacksonReadsOrWritesIsRegisteredForReflection() throws IOException {
        Set<Class<?>> serialized = serializedTypes();
        assertThat(names(serialized), hasItems("io.orderflow.events.EventEnvelope", "io.orderflow.events.OrderCreated",
                "io.orderflow.events.OrderShipped", "io.orderflow.orders.CreateOrderRequest", "io.orderflow.orders.OrderView",
                "io.orderflow.shipping.ShipmentView", "io.orderflow.http.Problem", "io.orderflow.http.Problem$Violation"));

        Set<String> unregistered = new TreeSet<>();
        serialized.stream().filter(type -> !type.isAnnotationPresent(RegisterForReflection.class))
                .forEach(type -> unregistered.add(type.getName()));
        assertThat("serialized by Jackson but not @RegisterForReflection", unregistered, empty());
    }

    @Test
    void mainCodeNeverScansTheClasspathOrLoadsClassesByName() throws IOException {
        Pattern dynamic = Pattern.compile("Class\\.forName|\\.getResources?\\(|ServiceLoader|ClassGraph|\\bReflections\\b|\\.loadClass\\(");
        try (Stream<Path> sources = Files.walk(SOURCES)) {
            List<String> offenders = sources.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> dynamic.matcher(read(file)).find())
                    .map(Path::toString)
                    .toList();
            assertThat("build-time wiring only (CDI, @ConfigMapping, Flyway's build-time migration list)", offenders, empty());
        }
    }

    @Test
    void migrationsAreWhereFlywayCollectsThemAtBuildTime() throws IOException {
        AppConfig app = AppConfig.load();
        String location = app.prod("quarkus.flyway.locations").orElse("db/migration").replace("classpath:", "");
        try (Stream<Path> migrations = Files.list(Path.of("src/main/resources", location))) {
            assertThat(migrations.map(file -> file.getFileName().toString()).filter(name -> name.matches("V\\d+__.+\\.sql")).toList(),
                    not(empty()));
        }
    }

    /**
     * Types Jackson binds: REST bodies and results, the envelope and payloads the codec reads and
     * writes (every {@link EventType}'s payload class), every app type carrying a Jackson
     * annotation, and the app types those contain. Enums are left out: native images keep enum
     * constants without reflection metadata, and Jackson falls back to {@code name()} for them.
     */
    private static Set<Class<?>> serializedTypes() throws IOException {
        Deque<Type> pending = new ArrayDeque<>();
        for (Class<?> type : appClasses()) {
            if (hasJacksonAnnotation(type)) {
                pending.add(type);
            }
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == EventType.class) {
                    pending.add(((EventType<?>) get(field)).payloadClass());
                }
            }
            if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                for (Method method : type.getDeclaredMethods()) {
                    pending.add(method.getGenericReturnType());
                    Stream.of(method.getParameters()).filter(parameter -> parameter.getAnnotations().length == 0
                            || parameter.isAnnotationPresent(jakarta.validation.Valid.class))
                            .forEach(parameter -> pending.add(parameter.getParameterizedType()));
                }
            }
        }
        Set<Class<?>> serialized = new HashSet<>();
        while (!pending.isEmpty()) {
            Type type = pending.pop();
            if (type instanceof ParameterizedType generic) {
                pending.addAll(List.of(generic.getActualTypeArguments()));
            } else if (type instanceof Class<?> raw && raw.getName().startsWith(APP_PACKAGE) && !raw.isEnum()
                    && serialized.add(raw) && raw.isRecord()) {
                Stream.of(raw.getRecordComponents()).map(RecordComponent::getGenericType).forEach(pending::add);
            }
        }
        return serialized;
    }

    private static boolean hasJacksonAnnotation(Class<?> type) {
        Stream<Annotation> annotations = Stream.of(type.getAnnotations());
        // Jackson's annotations on a record component land on its field and accessor.
        annotations = Stream.concat(annotations, Stream.of(type.getDeclaredFields()).flatMap(field -> Stream.of(field.getAnnotations())));
        return annotations.anyMatch(annotation -> annotation.annotationType().getName().startsWith("com.fasterxml.jackson"));
    }

    private static List<Class<?>> appClasses() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(name -> name.startsWith(APP_PACKAGE))
                    .map(NativeReadinessTest::load)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeReadinessTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object get(Field field) {
        try {
            field.setAccessible(true);
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> names(Set<Class<?>> types) {
        Set<String> names = new TreeSet<>();
        types.forEach(type -> names.add(type.getName()));
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
