package io.github.loomtasks.demo.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the times of the command line and the query string. */
final class Durations {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ms|s|m|h)?");
    /** Longer than anyone wants to wait for a demo request; keeps arithmetic far from overflow. */
    static final Duration MAX = Duration.ofHours(1);

    private Durations() {}

    /**
     * Parses {@code 1.5s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code PT1.5S} or plain seconds, from 0 to {@link #MAX}.
     *
     * @param what the option or parameter, named in the message
     * @throws BadInputException if the text is not such a time
     */
    static Duration parse(String what, String text) throws BadInputException {
        String s = text.strip();
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            return checked(what, text, iso(what, text, s));
        }
        Matcher m = AMOUNT.matcher(s);
        if (!m.matches()) {
            throw malformed(what, text);
        }
        BigDecimal seconds = new BigDecimal(m.group(1));
        String unit = m.group(2);
        if (unit != null) {
            seconds = switch (unit) {
                case "ms" -> seconds.movePointLeft(3);
                case "m" -> seconds.multiply(BigDecimal.valueOf(60));
                case "h" -> seconds.multiply(BigDecimal.valueOf(3600));
                default -> seconds;
            };
        }
        if (seconds.compareTo(BigDecimal.valueOf(MAX.toSeconds())) > 0) {
            throw tooLong(what, text);
        }
        return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    private static Duration iso(String what, String text, String s) throws BadInputException {
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw malformed(what, text);
        }
    }

    private static Duration checked(String what, String text, Duration d) throws BadInputException {
        if (d.isNegative()) {
            throw new BadInputException(what + ": '" + text + "' is negative: give a time of 0 or more");
        }
        if (d.compareTo(MAX) > 0) {
            throw tooLong(what, text);
        }
        return d;
    }

    private static BadInputException malformed(String what, String text) {
        String hint = text.strip().startsWith("-") ? "is negative: give a time of 0 or more"
                : "is not a time: write 1.5s, 500ms, 2m, 1h, PT1.5S or plain seconds";
        return new BadInputException(what + ": '" + text + "' " + hint);
    }

    private static BadInputException tooLong(String what, String text) {
        return new BadInputException(what + ": '" + text + "' is longer than the limit of " + format(MAX));
    }

    /** {@return {@code 250ms}, {@code 1.5s}, {@code 3600s}: short and exact} */
    static String format(Duration d) {
        if (d.toNanos() % 1_000_000 == 0 && d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
    }
}
