package io.orderflow.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.orderflow.roles.Role;

/**
 * The consistency rules between the manifests and the application. Each check returns the
 * problems it found (empty when the manifests are right), so a test can also feed it bad input.
 */
final class ManifestChecks {

    private final AppConfig app;
    private final List<KubernetesResource> resources;

    ManifestChecks(AppConfig app, List<KubernetesResource> resources) {
        this.app = app;
        this.resources = resources;
    }

    <T> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(resource -> resource.getKind().equals(kind)).toList();
    }

    /** One Deployment per role, named for it, playing that role and no other. */
    List<String> rolesAreSplit() {
        List<String> problems = new ArrayList<>();
        for (Role role : Role.values()) {
            List<Deployment> playing = all(Deployment.class).stream().filter(deployment -> role(deployment) == role).toList();
            if (playing.size() != 1) {
                problems.add(playing.size() + " Deployments play only the " + role.id() + " role; expected 1");
            }
            playing.stream().filter(deployment -> !deployment.getMetadata().getName().equals("orderflow-" + role.id()))
                    .forEach(deployment -> problems.add(deployment.getMetadata().getName() + " plays " + role.id()));
        }
        return problems;
    }

    /** Every Deployment runs the same image, named after the application. */
    List<String> oneImageForBothRoles() {
        Set<String> images = all(Deployment.class).stream().flatMap(deployment -> containers(deployment).stream())
                .map(Container::getImage).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        if (images.size() != 1) {
            problems.add("Deployments run different images: " + images);
        }
        images.stream().filter(image -> !repository(image).endsWith("/" + app.applicationName()))
                .forEach(image -> problems.add("image " + image + " is not named after the application " + app.applicationName()));
        return problems;
    }

    /** Startup, liveness and readiness probes on SmallRye Health's endpoints, on the HTTP port. */
    List<String> probesHitTheHealthEndpoints() {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : all(Deployment.class)) {
            for (Container container : containers(deployment)) {
                String where = deployment.getMetadata().getName() + "/" + container.getName();
                checkProbe(where + " startupProbe", container, container.getStartupProbe(), "started", problems);
                checkProbe(where + " livenessProbe", container, container.getLivenessProbe(), "live", problems);
                checkProbe(where + " readinessProbe", container, container.getReadinessProbe(), "ready", problems);
                Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
                if (annotations != null && annotations.containsKey("prometheus.io/path")
                        && (!app.metricsPath().equals(annotations.get("prometheus.io/path"))
                                || !String.valueOf(app.httpPort()).equals(annotations.get("prometheus.io/port")))) {
                    problems.add(where + " scrape annotations do not point at " + app.metricsPath() + " on " + app.httpPort());
                }
            }
        }
        return problems;
    }

    /** Every env var a container sets, directly or from a ConfigMap, is one the application reads. */
    List<String> envVarsAreReadByTheApplication() {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : all(Deployment.class)) {
            for (Container container : containers(deployment)) {
                for (String name : envNames(container)) {
                    if (!app.readsEnv(name) && !AppConfig.IMAGE_RUNTIME_ENV.contains(name)) {
                        problems.add(deployment.getMetadata().getName() + " sets " + name
                                + ", which application.properties does not read");
                    }
                }
            }
        }
        return problems;
    }

    /** What the prod profile requires comes from Secrets; no Secret and no literal credential is committed. */
    List<String> credentialsComeFromSecrets() {
        List<String> problems = new ArrayList<>();
        all(Secret.class).forEach(secret -> problems.add("Secret " + secret.getMetadata().getName() + " is committed"));
        for (Deployment deployment : all(Deployment.class)) {
            for (Container container : containers(deployment)) {
                for (String required : app.requiredInProd()) {
                    boolean fromSecret = env(container).stream().anyMatch(env -> env.getName().equals(required)
                            && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null);
                    if (!fromSecret) {
                        problems.add(deployment.getMetadata().getName() + " does not set " + required + " from a Secret");
                    }
                }
                env(container).stream().filter(env -> env.getValue() != null && env.getName().matches(".*(PASSWORD|USER|TOKEN).*"))
                        .forEach(env -> problems.add(deployment.getMetadata().getName() + " has a literal " + env.getName()));
            }
        }
        all(ConfigMap.class).forEach(config -> config.getData().keySet().stream().filter(key -> key.matches(".*(PASSWORD|TOKEN).*"))
                .forEach(key -> problems.add("ConfigMap " + config.getMetadata().getName() + " holds " + key)));
        return problems;
    }

    /** Non-root, read-only root filesystem with a writable /tmp, no privilege escalation, no capabilities. */
    List<String> podsAreLockedDown() {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            var podSecurity = pod.getSecurityContext();
            require(podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot()), name + " pod runAsNonRoot", problems);
            require(podSecurity != null && podSecurity.getSeccompProfile() != null
                    && "RuntimeDefault".equals(podSecurity.getSeccompProfile().getType()), name + " seccomp RuntimeDefault", problems);
            require(Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()), name + " automountServiceAccountToken false", problems);
            for (Container container : pod.getContainers()) {
                var security = container.getSecurityContext();
                require(security != null && Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()), name + " readOnlyRootFilesystem", problems);
                require(security != null && Boolean.FALSE.equals(security.getAllowPrivilegeEscalation()), name + " allowPrivilegeEscalation false", problems);
                require(security != null && !Boolean.TRUE.equals(security.getPrivileged()), name + " not privileged", problems);
                require(security != null && security.getCapabilities() != null
                        && security.getCapabilities().getDrop().contains("ALL"), name + " drops ALL capabilities", problems);
                require(writableTmp(pod, container), name + " mounts an emptyDir at /tmp", problems);
            }
        }
        return problems;
    }

    /** CPU and memory requests and limits on every container. */
    List<String> resourcesAreBounded() {
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : all(Deployment.class)) {
            for (Container container : containers(deployment)) {
                var resources = container.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    require(resources != null && resources.getRequests() != null && resources.getRequests().containsKey(resource),
                            deployment.getMetadata().getName() + " requests " + resource, problems);
                    require(resources != null && resources.getLimits() != null && resources.getLimits().containsKey(resource),
                            deployment.getMetadata().getName() + " limits " + resource, problems);
                }
            }
        }
        return problems;
    }

    /** Services, disruption budgets and autoscalers select or target Deployments that exist. */
    List<String> referencesResolve() {
        List<String> problems = new ArrayList<>();
        for (Service service : all(Service.class)) {
            List<Deployment> selected = selectedBy(service.getSpec().getSelector());
            require(selected.size() == 1, "Service " + service.getMetadata().getName() + " selects one Deployment", problems);
            service.getSpec().getPorts().forEach(port -> selected.forEach(deployment -> require(
                    containerPort(containers(deployment).get(0), port.getTargetPort()).isPresent(),
                    "Service " + service.getMetadata().getName() + " targetPort " + port.getTargetPort() + " exists", problems)));
        }
        for (PodDisruptionBudget budget : all(PodDisruptionBudget.class)) {
            require(selectedBy(budget.getSpec().getSelector().getMatchLabels()).size() == 1,
                    "PodDisruptionBudget " + budget.getMetadata().getName() + " selects one Deployment", problems);
        }
        for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
            require(deployment(hpa.getSpec().getScaleTargetRef().getName()).isPresent(),
                    "HPA " + hpa.getMetadata().getName() + " targets a Deployment", problems);
        }
        Set<String> accounts = all(ServiceAccount.class).stream().map(account -> account.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> configMaps = all(ConfigMap.class).stream().map(config -> config.getMetadata().getName()).collect(Collectors.toSet());
        for (Deployment deployment : all(Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            require(accounts.contains(pod.getServiceAccountName()), deployment.getMetadata().getName() + " service account exists", problems);
            containers(deployment).stream().flatMap(container -> container.getEnvFrom().stream())
                    .filter(source -> source.getConfigMapRef() != null)
                    .forEach(source -> require(configMaps.contains(source.getConfigMapRef().getName()),
                            deployment.getMetadata().getName() + " ConfigMap " + source.getConfigMapRef().getName() + " exists", problems));
        }
        return problems;
    }

    /** Names of the Secrets the manifests expect to exist. */
    @SuppressWarnings("unchecked")
    Set<String> referencedSecrets() {
        Set<String> secrets = all(Deployment.class).stream().flatMap(deployment -> containers(deployment).stream())
                .flatMap(container -> env(container).stream())
                .filter(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null)
                .map(env -> env.getValueFrom().getSecretKeyRef().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        custom("TriggerAuthentication").forEach(auth -> ((List<Map<String, Object>>) ((Map<String, Object>) auth.getAdditionalProperties()
                .get("spec")).get("secretTargetRef")).forEach(ref -> secrets.add((String) ref.get("name"))));
        return secrets;
    }

    static Role role(Deployment deployment) {
        Map<String, String> flags = containers(deployment).get(0).getEnv().stream()
                .filter(env -> env.getName().startsWith("ORDERFLOW_ROLES_") && env.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        List<Role> on = Arrays.stream(Role.values())
                .filter(role -> "true".equals(flags.get(AppConfig.envForm("orderflow.roles." + role.id()))))
                .toList();
        boolean othersOff = Arrays.stream(Role.values()).filter(role -> !on.contains(role))
                .allMatch(role -> "false".equals(flags.get(AppConfig.envForm("orderflow.roles." + role.id()))));
        return on.size() == 1 && othersOff ? on.get(0) : null;
    }

    private void checkProbe(String where, Container container, Probe probe, String endpoint, List<String> problems) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            problems.add(where + " is missing or not an HTTP GET");
            return;
        }
        require(app.healthPath(endpoint).equals(get.getPath()), where + " path " + get.getPath() + " is " + app.healthPath(endpoint), problems);
        Optional<ContainerPort> port = containerPort(container, get.getPort());
        require(port.isPresent() && port.get().getContainerPort() == app.httpPort(),
                where + " port " + get.getPort() + " is the HTTP port " + app.httpPort(), problems);
    }

    private List<String> envNames(Container container) {
        List<String> names = new ArrayList<>(env(container).stream().map(EnvVar::getName).toList());
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                all(ConfigMap.class).stream().filter(config -> config.getMetadata().getName().equals(source.getConfigMapRef().getName()))
                        .forEach(config -> config.getData().keySet().forEach(key -> names.add(Objects.toString(source.getPrefix(), "") + key)));
            }
        }
        return names;
    }

    private static List<EnvVar> env(Container container) {
        return container.getEnv() == null ? List.of() : container.getEnv();
    }

    private static List<Container> containers(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers();
    }

    Optional<Deployment> deployment(String name) {
        return all(Deployment.class).stream().filter(deployment -> deployment.getMetadata().getName().equals(name)).findFirst();
    }

    private List<Deployment> selectedBy(Map<String, String> selector) {
        return all(Deployment.class).stream()
                .filter(deployment -> deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    private static Optional<ContainerPort> containerPort(Container container, IntOrString port) {
        return container.getPorts().stream()
                .filter(candidate -> port.getStrVal() != null ? port.getStrVal().equals(candidate.getName())
                        : port.getIntVal().equals(candidate.getContainerPort()))
                .findFirst();
    }

    private static boolean writableTmp(PodSpec pod, Container container) {
        return container.getVolumeMounts().stream().filter(mount -> "/tmp".equals(mount.getMountPath()))
                .anyMatch(mount -> pod.getVolumes().stream()
                        .anyMatch(volume -> volume.getName().equals(mount.getName()) && volume.getEmptyDir() != null));
    }

    private static String repository(String image) {
        String withoutDigest = image.split("@")[0];
        int tag = withoutDigest.lastIndexOf(':');
        return tag > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, tag) : withoutDigest;
    }

    static void require(boolean ok, String rule, List<String> problems) {
        if (!ok) {
            problems.add("expected: " + rule);
        }
    }
}
