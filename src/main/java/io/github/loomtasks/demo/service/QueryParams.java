package io.github.loomtasks.demo.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A query string as an ordered map; malformed, valueless or repeated parameters are refused. */
final class QueryParams {
    private QueryParams() {}

    /**
     * Parses a raw (still percent-encoded) query.
     *
     * @param rawQuery the part after {@code ?}, or null when there is none
     * @throws BadInputException if a parameter has no value, is repeated, or is badly encoded
     */
    static Map<String, String> parse(@Nullable String rawQuery) throws BadInputException {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (eq < 0 || eq == pair.length() - 1) {
                throw new BadInputException("parameter '" + name + "' needs a value, as in " + name + "=...");
            }
            if (params.putIfAbsent(name, decode(pair.substring(eq + 1))) != null) {
                throw new BadInputException("parameter '" + name + "' is given twice: give it once");
            }
        }
        return params;
    }

    private static String decode(String s) throws BadInputException {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("'" + s + "' is not a well-formed query part: " + e.getMessage());
        }
    }
}
