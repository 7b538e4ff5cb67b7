package io.github.loomtasks.internal;

import org.jspecify.annotations.Nullable;

/** The little JSON the registry dump needs: quoted strings and null. */
public final class Json {
    private Json() {}

    /** Appends {@code value} as a JSON string, or {@code null}. */
    public static StringBuilder string(StringBuilder out, @Nullable Object value) {
        if (value == null) {
            return out.append("null");
        }
        String s = value.toString();
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends {@code "name":} */
    public static StringBuilder key(StringBuilder out, String name) {
        return string(out, name).append(':');
    }
}
