package io.orderflow.deploy;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * Reads the kustomizations and manifests under k8s/ with the fabric8 Kubernetes model (custom
 * resources such as KEDA's come back as {@link GenericKubernetesResource}), and renders a
 * kustomization with {@code kubectl kustomize} where kubectl is installed (it needs no cluster).
 */
final class Manifests {

    static final Path ROOT = Path.of("k8s");
    static final Path BASE = ROOT.resolve("base");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** One kustomization.yaml: the files it names, relative to its directory. */
    record Kustomization(Path dir, List<String> resources, List<String> components, List<Patch> patches,
            List<Map<String, Object>> images) {

        /** A patch: a file or inline text, applied to {@code target} or to the resource it names. */
        record Patch(String path, boolean targeted) {
        }

        /** Every file or directory it names: resources, components and patch files. */
        List<Path> referencedPaths() {
            List<Path> paths = new ArrayList<>();
            Stream.concat(resources.stream(), components.stream()).forEach(entry -> paths.add(dir.resolve(entry).normalize()));
            patches.stream().filter(patch -> patch.path() != null).forEach(patch -> paths.add(dir.resolve(patch.path()).normalize()));
            return paths;
        }
    }

    /** Every kustomization.yaml under k8s/. */
    static List<Path> kustomizationFiles() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Kustomization kustomization(Path file) {
        Map<String, Object> yaml = readYaml(file);
        List<Kustomization.Patch> patches = ((List<Map<String, Object>>) yaml.getOrDefault("patches", List.of())).stream()
                .map(patch -> new Kustomization.Patch((String) patch.get("path"), patch.containsKey("target")))
                .toList();
        return new Kustomization(file.getParent(), (List<String>) yaml.getOrDefault("resources", List.of()),
                (List<String>) yaml.getOrDefault("components", List.of()), patches,
                (List<Map<String, Object>>) yaml.getOrDefault("images", List.of()));
    }

    /** The resources a kustomization lists directly as files (no transformers applied). */
    static List<KubernetesResource> listedResources(Kustomization kustomization) {
        return kustomization.resources().stream()
                .map(kustomization.dir()::resolve)
                .filter(Files::isRegularFile)
                .flatMap(file -> parse(file).stream())
                .toList();
    }

    /** Every YAML document of a file, typed where the model knows the kind. */
    static List<KubernetesResource> parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid YAML for the Kubernetes model: " + e.getMessage(), e);
        }
    }

    static List<KubernetesResource> parse(InputStream in) throws IOException {
        return YAML.readerFor(KubernetesResource.class).<KubernetesResource> readValues(in).readAll().stream()
                .filter(resource -> resource != null)
                .toList();
    }

    /** The output of {@code kubectl kustomize dir}, or empty when kubectl is not installed. */
    static Optional<List<KubernetesResource>> render(Path dir) {
        if (!kubectlInstalled()) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            byte[] output = process.getInputStream().readAllBytes();
            String errors = new String(process.getErrorStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + errors);
            }
            return Optional.of(parse(new ByteArrayInputStream(output)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean kubectlInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    }

    /**
     * Fields the model does not know, as paths ("spec.template.spec.containers[0].readinesProbe"):
     * the model keeps them aside instead of failing, so a misspelt field would pass unnoticed.
     */
    static List<String> unknownFields(KubernetesResource resource) {
        List<String> unknown = new ArrayList<>();
        if (!(resource instanceof GenericKubernetesResource)) {
            collectUnknown(resource, describe(resource), unknown);
        }
        return unknown;
    }

    static String describe(KubernetesResource resource) {
        return resource instanceof HasMetadata named ? named.getKind() + "/" + named.getMetadata().getName()
                : resource.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private static void collectUnknown(Object node, String path, List<String> unknown) {
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                collectUnknown(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknown(value, path + "." + key, unknown));
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (!isModelGetter(getter)) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<String, Object>) value).keySet().forEach(field -> unknown.add(path + "." + field));
            } else {
                collectUnknown(value, path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4), unknown);
            }
        }
    }

    private static boolean isModelGetter(Method method) {
        return method.getName().startsWith("get") && method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass().getName().startsWith("io.fabric8.");
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path file) {
        try {
            return YAML.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }
}
