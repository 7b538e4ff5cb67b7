package io.github.loomtasks.demo.service;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes answers. Every answer is complete (status, length, body) and closes the exchange. */
final class Replies {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    private static final Map<Integer, String> REASONS = Map.of(200, "OK", 400, "Bad Request", 404, "Not Found",
            405, "Method Not Allowed", 499, "Client Closed Request", 500, "Internal Server Error", 502, "Bad Gateway",
            503, "Service Unavailable", 504, "Gateway Timeout");

    private Replies() {}

    /** {@return {@code 504 Gateway Timeout}} */
    static String statusLine(int status) {
        return status + " " + REASONS.getOrDefault(status, "");
    }

    /**
     * Sends the answer and closes the exchange.
     *
     * @param close whether to ask the client to close the connection (the service is stopping)
     * @return false if the client could not be written to (it went away)
     */
    static boolean send(HttpExchange exchange, int status, String contentType, String body, boolean close) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (close) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a one-line text answer: {@code 400 Bad Request: <message>}. */
    static boolean sendText(HttpExchange exchange, int status, String message, boolean close) {
        return send(exchange, status, TEXT, statusLine(status) + ": " + message + "\n", close);
    }

    /** The body of a {@code /fanout} answer: the status line with the detail, then one line per task. */
    static String body(RequestOutcome outcome) {
        StringBuilder b = new StringBuilder(statusLine(outcome.status())).append(": ").append(outcome.detail()).append('\n');
        for (TaskView t : outcome.tasks()) {
            b.append("  ").append(t.line()).append('\n');
        }
        return b.toString();
    }
}
