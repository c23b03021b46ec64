package io.orderflow.deploy;

import static io.orderflow.deploy.ManifestChecks.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.orderflow.roles.Role;

/** The autoscaling rules: KEDA ScaledObjects (custom resources, read as maps) and plain HPAs. */
final class AutoscalingChecks {

    private AutoscalingChecks() {
    }

    /** Each role scales on the depth of its own queue, never to zero, and one autoscaler per Deployment. */
    @SuppressWarnings("unchecked")
    static List<String> scalersWatchEachRolesQueue(AppConfig app, ManifestChecks manifests) {
        List<String> problems = new ArrayList<>();
        Set<String> authentications = manifests.custom("TriggerAuthentication").stream()
                .map(auth -> auth.getMetadata().getName())
                .collect(Collectors.toSet());
        List<String> targets = new ArrayList<>();
        for (GenericKubernetesResource scaler : manifests.custom("ScaledObject")) {
            String name = scaler.getMetadata().getName();
            Map<String, Object> spec = (Map<String, Object>) scaler.getAdditionalProperties().get("spec");
            String target = (String) ((Map<String, Object>) spec.get("scaleTargetRef")).get("name");
            targets.add(target);
            Optional<Role> role = manifests.deployment(target).map(ManifestChecks::role);
            require(role.isPresent(), "ScaledObject " + name + " targets a role's Deployment", problems);
            require(((Number) spec.getOrDefault("minReplicaCount", 0)).intValue() >= 1,
                    "ScaledObject " + name + " keeps at least one replica for the API", problems);
            List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
            List<Map<String, Object>> rabbit = triggers.stream().filter(trigger -> "rabbitmq".equals(trigger.get("type"))).toList();
            require(rabbit.size() == 1, "ScaledObject " + name + " has one rabbitmq trigger", problems);
            require(triggers.stream().anyMatch(trigger -> "cpu".equals(trigger.get("type"))), "ScaledObject " + name + " also scales on CPU", problems);
            for (Map<String, Object> trigger : rabbit) {
                Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
                role.ifPresent(r -> require(app.queueOf(r).equals(metadata.get("queueName")),
                        "ScaledObject " + name + " watches " + app.queueOf(r) + ", not " + metadata.get("queueName"), problems));
                Map<String, Object> auth = (Map<String, Object>) trigger.get("authenticationRef");
                require(auth != null && authentications.contains(auth.get("name")), "ScaledObject " + name + " TriggerAuthentication exists", problems);
            }
        }
        manifests.all(HorizontalPodAutoscaler.class).forEach(hpa -> targets.add(hpa.getSpec().getScaleTargetRef().getName()));
        targets.stream().filter(target -> targets.indexOf(target) != targets.lastIndexOf(target)).distinct()
                .forEach(target -> problems.add(target + " has more than one autoscaler"));
        manifests.custom("TriggerAuthentication").forEach(auth -> require(auth.getAdditionalProperties().toString().contains("parameter=host"),
                "TriggerAuthentication " + auth.getMetadata().getName() + " gives the host from a Secret", problems));
        return problems;
    }
}
