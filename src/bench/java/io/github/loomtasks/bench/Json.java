package io.github.loomtasks.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Flat JSON objects (string, number, boolean and null values): all the results need, with no library. */
final class Json {
    private Json() {}

    static String write(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            b.append(v instanceof String s ? quote(s) : String.valueOf(v));
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Parses what {@link #write} wrote: numbers become Double, true/false Boolean. */
    static Map<String, Object> read(String line) {
        Map<String, Object> out = new LinkedHashMap<>();
        int i = line.indexOf('{') + 1;
        while (i < line.length()) {
            i = skipBlanks(line, i);
            if (line.charAt(i) == '}') {
                break;
            }
            int[] end = new int[1];
            String key = readString(line, i, end);
            i = skipBlanks(line, end[0]) + 1; // the colon
            i = skipBlanks(line, i);
            Object value;
            if (line.charAt(i) == '"') {
                value = readString(line, i, end);
                i = end[0];
            } else {
                int j = i;
                while (j < line.length() && ",}".indexOf(line.charAt(j)) < 0) {
                    j++;
                }
                String raw = line.substring(i, j).trim();
                value = switch (raw) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "null" -> "null";
                    default -> Double.parseDouble(raw);
                };
                i = j;
            }
            out.put(key, value);
            i = skipBlanks(line, i);
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
        return out;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String readString(String s, int start, int[] end) {
        StringBuilder b = new StringBuilder();
        int i = start + 1;
        while (s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        end[0] = i + 1;
        return b.toString();
    }
}
