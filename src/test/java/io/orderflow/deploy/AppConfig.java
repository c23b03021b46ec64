package io.orderflow.deploy;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.orderflow.messaging.MessagingConfig;
import io.orderflow.messaging.OutboxConfig;
import io.orderflow.roles.Role;
import io.orderflow.roles.RolesConfig;
import io.smallrye.config.ConfigMapping;

/**
 * What the manifests must agree with, read from the application itself: application.properties
 * (as the prod profile sees it), the {@code @ConfigMapping} interfaces and the pom.
 */
final class AppConfig {

    /** Env vars the JVM image's run-java.sh reads; they are not application configuration. */
    static final Set<String> IMAGE_RUNTIME_ENV = Set.of("JAVA_MAX_MEM_RATIO", "JAVA_INITIAL_MEM_RATIO",
            "JAVA_OPTS_APPEND", "JAVA_MAX_INITIAL_MEM", "GC_CONTAINER_OPTIONS");

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:?)");
    private static final Pattern PROPERTY_REFERENCE = Pattern.compile("\\$\\{([a-z][a-z0-9.\\-]*)(?::([^}]*))?}");
    private static final List<Class<?>> CONFIG_MAPPINGS = List.of(RolesConfig.class, MessagingConfig.class, OutboxConfig.class);

    private final Properties properties;
    private final Set<String> propertyNames = new HashSet<>();
    private final Set<String> referencedEnv = new HashSet<>();
    private final Set<String> requiredInProd = new HashSet<>();
    private final String pom;

    private AppConfig(Properties properties, String pom) {
        this.properties = properties;
        this.pom = pom;
        for (String name : properties.stringPropertyNames()) {
            propertyNames.add(withoutProfile(name));
            Matcher env = ENV_REFERENCE.matcher(properties.getProperty(name));
            while (env.find()) {
                referencedEnv.add(env.group(1));
                if (name.startsWith("%prod.") && env.group(2).isEmpty()) {
                    requiredInProd.add(env.group(1));
                }
            }
        }
        CONFIG_MAPPINGS.forEach(mapping -> collectMappingKeys(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping));
    }

    static AppConfig load() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(reader);
            return new AppConfig(properties, Files.readString(Path.of("pom.xml")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the application's configuration", e);
        }
    }

    /**
     * True when the application reads this env var: referenced as {@code ${NAME}} in
     * application.properties, or the MicroProfile Config env form of a property it has (in the
     * properties file or a {@code @ConfigMapping}), e.g. ORDERFLOW_ROLES_ORDERS for orderflow.roles.orders.
     */
    boolean readsEnv(String name) {
        return referencedEnv.contains(name) || propertyNames.stream().map(AppConfig::envForm).anyMatch(name::equals);
    }

    /** Env vars the prod profile needs and has no default for (the credentials). */
    Set<String> requiredInProd() {
        return requiredInProd;
    }

    /** A property as the prod profile resolves it, {@code ${...}} expressions expanded. */
    Optional<String> prod(String name) {
        String value = properties.getProperty("%prod." + name, properties.getProperty(name));
        return Optional.ofNullable(value).map(this::expand);
    }

    int httpPort() {
        return Integer.parseInt(prod("quarkus.http.port").orElse("8080"));
    }

    String applicationName() {
        return prod("quarkus.application.name").orElseThrow();
    }

    /** SmallRye Health's endpoint for a probe ("live", "ready", "started") under the non-application root. */
    String healthPath(String probe) {
        String root = "/" + prod("quarkus.http.non-application-root-path").orElse("q") + "/"
                + prod("quarkus.smallrye-health.root-path").orElse("health");
        String leaf = switch (probe) {
            case "live" -> prod("quarkus.smallrye-health.liveness-path").orElse("live");
            case "ready" -> prod("quarkus.smallrye-health.readiness-path").orElse("ready");
            case "started" -> prod("quarkus.smallrye-health.startup-path").orElse("started");
            default -> throw new IllegalArgumentException(probe);
        };
        return root + "/" + leaf;
    }

    String metricsPath() {
        return prod("quarkus.micrometer.export.prometheus.path").orElse("/q/metrics");
    }

    /** The queue the role's consumer channel reads, e.g. orderflow.shipping for the shipping role. */
    String queueOf(Role role) {
        String channel = properties.stringPropertyNames().stream()
                .filter(name -> name.startsWith("mp.messaging.incoming.") && name.endsWith(".enabled"))
                .filter(name -> properties.getProperty(name).equals("${orderflow.roles." + role.id() + "}"))
                .map(name -> name.substring("mp.messaging.incoming.".length(), name.length() - ".enabled".length()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no incoming channel is switched by role " + role.id()));
        return prod("mp.messaging.incoming." + channel + ".queue.name").orElseThrow();
    }

    boolean hasDependency(String artifactId) {
        return pom.contains("<artifactId>" + artifactId + "</artifactId>");
    }

    /** The project version: the first version element after the project's own artifactId. */
    String projectVersion() {
        int artifact = pom.indexOf("<artifactId>orderflow</artifactId>");
        int start = pom.indexOf("<version>", artifact) + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start));
    }

    /** MicroProfile Config's env var form of a property name: non-alphanumerics to _, upper case. */
    static String envForm(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private String expand(String value) {
        Matcher reference = PROPERTY_REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
            String replacement = prod(reference.group(1)).orElse(reference.group(2) == null ? "" : reference.group(2));
            reference.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        return reference.appendTail(expanded).toString();
    }

    private void collectMappingKeys(String prefix, Class<?> mapping) {
        Stream.of(mapping.getDeclaredMethods())
                .filter(method -> method.getParameterCount() == 0 && !method.isDefault() && !method.isSynthetic())
                .forEach(method -> collectMappingKey(prefix + "." + kebab(method.getName()), method));
    }

    private void collectMappingKey(String key, Method method) {
        if (method.getReturnType().isInterface() && method.getReturnType().getDeclaringClass() != null) {
            collectMappingKeys(key, method.getReturnType());
        } else {
            propertyNames.add(key);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String withoutProfile(String name) {
        return name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
    }
}
