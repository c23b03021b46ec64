package io.orderflow.testing;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Reads one sample from {@code /q/metrics}, as a scraper would. */
public final class Prometheus {

    private Prometheus() {
    }

    /** The value of the sample named {@code name} whose labels include all of {@code labels}. */
    public static Optional<Double> sample(String name, Map<String, String> labels) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Arrays.stream(body.split("\n"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\"")))
                .map(Prometheus::valueOf)
                .findFirst();
    }

    /** "name{labels} value" or, with an exemplar, "name{labels} value # {trace} value timestamp". */
    private static double valueOf(String line) {
        String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    public static double value(String name, Map<String, String> labels) {
        return sample(name, labels).orElse(0.0);
    }

    public static boolean exposes(String prefix) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Arrays.stream(body.split("\n")).anyMatch(line -> line.startsWith(prefix));
    }
}
