package io.orderflow.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * The manifests under k8s/ parse with the Kubernetes model, every file is wired into its
 * kustomization, and they agree with the application: roles, image, probe paths and port, env
 * names, secrets, security context, autoscaling queues. No cluster needed; where kubectl is
 * installed, the overlays are rendered with {@code kubectl kustomize} and checked as well.
 */
class KubernetesManifestsTest {

    private static final AppConfig APP = AppConfig.load();
    private static final Manifests.Kustomization BASE = Manifests.kustomization(Manifests.BASE.resolve("kustomization.yaml"));
    private static final ManifestChecks CHECKS = new ManifestChecks(APP, Manifests.listedResources(BASE));

    @Test
    void everyManifestIsListedInItsKustomizationAndParsesWithoutUnknownFields() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : Manifests.kustomizationFiles()) {
            Manifests.Kustomization kustomization = Manifests.kustomization(file);
            List<Path> referenced = kustomization.referencedPaths();
            referenced.stream().filter(path -> !Files.exists(path)).forEach(path -> problems.add(file + " lists missing " + path));
            try (Stream<Path> siblings = Files.list(kustomization.dir())) {
                siblings.filter(sibling -> sibling.toString().endsWith(".yaml") && !sibling.equals(file))
                        .filter(sibling -> !referenced.contains(sibling.normalize()))
                        .forEach(sibling -> problems.add(sibling + " is not listed in " + file));
            }
            referenced.stream().filter(Files::isRegularFile).forEach(manifest -> problems.addAll(parseProblems(manifest)));
            problems.addAll(untargetedPatchesNameBaseResources(kustomization));
        }
        assertNoProblems(problems);
        assertThat(CHECKS.all(Deployment.class), hasSize(2));
    }

    @Test
    void eachDeploymentPlaysOneRoleFromTheOneImage() {
        assertNoProblems(CHECKS.rolesAreSplit());
        assertNoProblems(CHECKS.oneImageForBothRoles());
    }

    @Test
    void theImageIsTaggedWithTheProjectVersionAndEveryOverlayRetagsThatImage() {
        String image = CHECKS.all(Deployment.class).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(BASE.images(), contains(Map.of("name", image, "newTag", APP.projectVersion())));
        for (Path file : Manifests.kustomizationFiles()) {
            Manifests.kustomization(file).images()
                    .forEach(entry -> assertThat("image retagged by " + file, entry.get("name"), is(image)));
        }
    }

    @Test
    void probesUseTheHealthEndpointsOnTheHttpPort() {
        assertThat(APP.hasDependency("quarkus-smallrye-health"), is(true));
        assertNoProblems(CHECKS.probesHitTheHealthEndpoints());
    }

    @Test
    void everyEnvVarIsAConfigKeyTheApplicationReads() {
        assertNoProblems(CHECKS.envVarsAreReadByTheApplication());
    }

    @Test
    void aMisspelledEnvVarIsCaught() throws IOException {
        Deployment deployment = (Deployment) Manifests.parse(Manifests.BASE.resolve("deployment-orders.yaml")).get(0);
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).setName("ORDERFLOW_ROLE_ORDERS");
        ManifestChecks misspelt = new ManifestChecks(APP, List.of(deployment));

        assertThat(APP.readsEnv("ORDERFLOW_ROLES_ORDERS"), is(true));
        assertThat(APP.readsEnv("ORDERFLOW_DB_PASSWORD"), is(true));
        assertThat("a @ConfigMapping key", APP.readsEnv("ORDERFLOW_OUTBOX_CLAIM_TIMEOUT"), is(true));
        assertThat(APP.readsEnv("ORDERFLOW_DB_PASWORD"), is(false));
        assertThat(misspelt.envVarsAreReadByTheApplication(), contains(containsString("ORDERFLOW_ROLE_ORDERS")));
        assertThat(misspelt.rolesAreSplit(), not(empty()));
    }

    @Test
    void aMisspelledFieldIsCaught() throws IOException {
        String yaml = Files.readString(Manifests.BASE.resolve("deployment-orders.yaml")).replace("readinessProbe:", "readinesProbe:");
        List<KubernetesResource> parsed = Manifests.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));

        assertThat(Manifests.unknownFields(parsed.get(0)), contains(endsWith("containers[0].readinesProbe")));
    }

    @Test
    void credentialsComeFromSecretsThatAreDocumentedNotCommitted() throws IOException {
        assertThat(APP.requiredInProd(), hasItems("ORDERFLOW_DB_USER", "ORDERFLOW_DB_PASSWORD", "ORDERFLOW_RABBITMQ_USER",
                "ORDERFLOW_RABBITMQ_PASSWORD", "ORDERFLOW_ADMIN_PASSWORD"));
        assertNoProblems(CHECKS.credentialsComeFromSecrets());
        String readme = Files.readString(Path.of("README.md"));
        assertThat(CHECKS.referencedSecrets(), hasSize(4));
        CHECKS.referencedSecrets().forEach(secret -> assertTrue(readme.contains(secret), "README.md documents Secret " + secret));
    }

    @Test
    void podsRunNonRootOnAReadOnlyFilesystemWithoutCapabilities() {
        assertNoProblems(CHECKS.podsAreLockedDown());
        assertNoProblems(CHECKS.resourcesAreBounded());
    }

    @Test
    void servicesBudgetsAndScalersTargetTheRoleDeployments() {
        assertNoProblems(CHECKS.referencesResolve());
        assertThat(CHECKS.custom("ScaledObject"), hasSize(2));
        assertNoProblems(AutoscalingChecks.scalersWatchEachRolesQueue(APP, CHECKS));
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/overlays/dev", "k8s/overlays/prod" })
    void renderedKustomizationPassesEveryCheck(String dir) {
        assumeTrue(Manifests.kubectlInstalled(), "kubectl is not installed: kustomize rendering not checked");
        List<KubernetesResource> rendered = Manifests.render(Path.of(dir)).orElseThrow();
        ManifestChecks checks = new ManifestChecks(APP, rendered);

        List<String> problems = new ArrayList<>();
        rendered.forEach(resource -> problems.addAll(Manifests.unknownFields(resource)));
        Stream.of(checks.rolesAreSplit(), checks.oneImageForBothRoles(), checks.probesHitTheHealthEndpoints(),
                checks.envVarsAreReadByTheApplication(), checks.credentialsComeFromSecrets(), checks.podsAreLockedDown(),
                checks.resourcesAreBounded(), checks.referencesResolve(), AutoscalingChecks.scalersWatchEachRolesQueue(APP, checks))
                .forEach(problems::addAll);
        assertNoProblems(problems);
        assertThat("one autoscaler per role", checks.custom("ScaledObject").size() + checks.all(HorizontalPodAutoscaler.class).size(), is(2));
    }

    private static List<String> parseProblems(Path manifest) {
        List<String> problems = new ArrayList<>();
        try {
            for (KubernetesResource resource : Manifests.parse(manifest)) {
                if (!(resource instanceof HasMetadata named) || named.getMetadata() == null || named.getMetadata().getName() == null) {
                    problems.add(manifest + " has a document without kind or metadata.name");
                    continue;
                }
                Manifests.unknownFields(resource).forEach(field -> problems.add(manifest + ": unknown field " + field));
            }
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** A patch without a target names its resource: that resource must exist in the base. */
    private static List<String> untargetedPatchesNameBaseResources(Manifests.Kustomization kustomization) {
        Set<String> base = Manifests.listedResources(BASE).stream().map(Manifests::describe).collect(Collectors.toSet());
        return kustomization.patches().stream()
                .filter(patch -> patch.path() != null && !patch.targeted())
                .flatMap(patch -> Manifests.parse(kustomization.dir().resolve(patch.path())).stream())
                .map(Manifests::describe)
                .filter(name -> !base.contains(name))
                .map(name -> kustomization.dir() + " patches " + name + ", which the base does not have")
                .toList();
    }

    private static void assertNoProblems(List<String> problems) {
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }
}
