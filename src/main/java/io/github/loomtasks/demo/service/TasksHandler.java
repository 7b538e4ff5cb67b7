package io.github.loomtasks.demo.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.loomtasks.Tasks;
import java.util.Map;

/**
 * {@code GET /tasks}: the live registry, as JSON ({@link Tasks#dumpJson()}, the default) or as
 * the text dump ({@link Tasks#dump()}: {@code ?format=text}, or {@code Accept: text/plain}
 * without a format). Served on the request's own thread, outside any scope, so it does not list
 * itself.
 */
final class TasksHandler implements HttpHandler {

    @Override
    public void handle(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            Replies.sendText(exchange, 405, "use GET", false);
            return;
        }
        boolean text;
        try {
            text = wantsText(exchange);
        } catch (BadInputException e) {
            Replies.sendText(exchange, 400, e.getMessage(), false);
            return;
        }
        if (text) {
            Replies.send(exchange, 200, Replies.TEXT, Tasks.dump(), false);
        } else {
            Replies.send(exchange, 200, Replies.JSON, Tasks.dumpJson() + "\n", false);
        }
    }

    private static boolean wantsText(HttpExchange exchange) throws BadInputException {
        Map<String, String> query = QueryParams.parse(exchange.getRequestURI().getRawQuery());
        for (String name : query.keySet()) {
            if (!name.equals("format")) {
                throw new BadInputException("unknown parameter '" + name + "': /tasks takes format=json or format=text");
            }
        }
        String format = query.get("format");
        if (format != null) {
            return switch (format) {
                case "text" -> true;
                case "json" -> false;
                default -> throw new BadInputException("format: '" + format + "' is not json or text");
            };
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
    }
}
