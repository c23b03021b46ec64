package io.orderflow.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The broker's own control tool, for tests that break connections the way an outage would. */
public final class RabbitMqCtl {

    private RabbitMqCtl() {
    }

    /** rabbitmqctl is installed and may talk to the node (needs the node's cookie, i.e. root here). */
    public static boolean available() {
        try {
            run("status");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The broker's id of the connection a client opened under {@code name}, if it is open. */
    public static Optional<String> connection(String name) {
        String marker = "\"connection_name\",\"" + name + "\"";
        return run("-q", "list_connections", "--no-table-headers", "pid", "client_properties").lines()
                .filter(line -> line.contains(marker))
                .map(line -> line.split("\\s+", 2)[0])
                .findFirst();
    }

    /** The numbers of the channels open on that connection, in order. */
    public static List<Integer> channels(String connectionPid) {
        List<Integer> numbers = new ArrayList<>();
        run("-q", "list_channels", "--no-table-headers", "connection", "number").lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(columns -> columns.length == 2 && columns[0].equals(connectionPid))
                .forEach(columns -> numbers.add(Integer.parseInt(columns[1])));
        numbers.sort(null);
        return numbers;
    }

    /** Closes a connection from the broker side, as a broker restart or a network cut would. */
    public static void closeConnection(String connectionPid) {
        run("close_connection", connectionPid, "closed by a test");
    }

    private static String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " cannot run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
