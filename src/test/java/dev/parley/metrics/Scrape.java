package dev.parley.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus text endpoint, parsed into its samples: {@link #value} finds a series by
 * name and a subset of its labels, whatever their order.
 */
public final class Scrape {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final String contentType;
    private final List<Sample> samples = new ArrayList<>();

    private Scrape(String text, String contentType) {
        this.text = text;
        this.contentType = contentType;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1));
            int brace = series.indexOf('{');
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0) {
                Matcher m = LABEL.matcher(series.substring(brace));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            samples.add(new Sample(brace < 0 ? series : series.substring(0, brace), labels, value));
        }
    }

    /**
     * GETs {@code uri} with {@code headers} (name, value, name, value...), such as an
     * {@code Authorization}; fails unless it answers 200.
     */
    public static Scrape of(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return new Scrape(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    /**
     * The value of the one series named {@code name} whose labels include {@code labels} (name,
     * value, name, value...); fails when there is none or more than one.
     */
    public double value(String name, String... labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && has(s, labels)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " series " + name + " " + List.of(labels) + " in:\n" + text);
        }
        return found.get(0).value();
    }

    /** The sum of every series named {@code name}. */
    public double sum(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }

    public String text() {
        return text;
    }

    public String contentType() {
        return contentType;
    }

    private static boolean has(Sample s, String[] labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
