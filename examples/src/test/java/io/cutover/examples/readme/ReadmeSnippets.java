package io.cutover.examples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Java snippets of a Markdown document, compiled as they are shown.
 *
 * <p>Every fenced block whose info string is {@code java} is one snippet. Its {@code import} lines
 * become the imports of a generated class; the rest becomes the body of one method, so a snippet
 * is a sequence of statements. Variables a snippet uses without declaring them (a {@code target},
 * a {@code client}) are declared by an HTML comment on the line right before the fence, invisible
 * when the Markdown is rendered: {@code <!-- given: io.cutover.Target target, java.net.URI uri -->}.
 * They become the method's parameters. Errors are reported with the document's own line numbers.
 */
final class ReadmeSnippets {

    private static final Pattern GIVEN = Pattern.compile("^\\s*<!--\\s*given:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");

    /** One fenced Java block: its first code line in the document, and its lines with their document line numbers. */
    record Snippet(int firstLine, List<Line> imports, List<Line> body, String given) {

        String className() {
            return "Snippet" + firstLine;
        }

        /** The generated class: a package line, the imports, the class and method lines, then the body. */
        String source() {
            StringBuilder s = new StringBuilder("package readme;\n");
            imports.forEach(i -> s.append(i.text().strip()).append('\n'));
            s.append("class ").append(className()).append(" {\n");
            s.append("void run(").append(given).append(") throws Exception {\n");
            body.forEach(b -> s.append(b.text()).append('\n'));
            return s.append("}\n}\n").toString();
        }

        /** The document line of a line of {@link #source()}. */
        int documentLine(long generatedLine) {
            long index = generatedLine - 2;
            if (index >= 0 && index < imports.size()) {
                return imports.get((int) index).number();
            }
            index -= imports.size() + 2;
            if (index >= 0 && index < body.size()) {
                return body.get((int) index).number();
            }
            return firstLine;
        }
    }

    /** A line of the document and its number, from 1. */
    record Line(int number, String text) {
    }

    private ReadmeSnippets() {
    }

    /** The lines of the section that starts with the heading {@code heading}, up to the next heading of its level. */
    static List<String> section(List<String> markdown, String heading) {
        int start = markdown.indexOf(heading);
        if (start < 0) {
            throw new IllegalArgumentException("no heading '" + heading + "'");
        }
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        List<String> lines = new ArrayList<>(markdown.subList(0, start + 1));
        lines.replaceAll(l -> ""); // keep the document's line numbers
        for (int i = start + 1; i < markdown.size() && !markdown.get(i).startsWith(level); i++) {
            lines.add(markdown.get(i));
        }
        return lines;
    }

    /** The Java snippets of a Markdown text, in document order. */
    static List<Snippet> extract(List<String> markdown) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            String fence = markdown.get(i).strip();
            if (!fence.startsWith("```")) {
                continue;
            }
            boolean java = fence.substring(3).strip().toLowerCase(Locale.ROOT).equals("java");
            String given = "";
            if (java && i > 0) {
                Matcher m = GIVEN.matcher(markdown.get(i - 1));
                if (m.matches()) {
                    given = m.group(1);
                }
            }
            List<Line> imports = new ArrayList<>();
            List<Line> body = new ArrayList<>();
            int j = i + 1;
            for (; j < markdown.size() && !markdown.get(j).strip().startsWith("```"); j++) {
                String line = markdown.get(j);
                (IMPORT.matcher(line).matches() ? imports : body).add(new Line(j + 1, line));
            }
            if (j >= markdown.size()) {
                throw new IllegalArgumentException("the fence opened on line " + (i + 1) + " is never closed");
            }
            if (java) {
                snippets.add(new Snippet(i + 2, imports, body, given));
            }
            i = j;
        }
        return snippets;
    }

    /** Compiles every snippet against {@code classpath}; returns one line per error, {@code line N: message}. */
    static List<String> compile(List<Snippet> snippets, String classpath) {
        Path out;
        try {
            out = Files.createTempDirectory("readme-snippets-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return compile(snippets, classpath, out);
        } finally {
            delete(out);
        }
    }

    /** Compiles every snippet into {@code out} (classes {@code readme.Snippet<line>}); returns the errors. */
    static List<String> compile(List<Snippet> snippets, String classpath, Path out) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", classpath, "-d", out.toString(), "-proc:none", "--release", "17");
            for (Snippet snippet : snippets) { // one task each: a syntax error in one snippet hides no error of another
                compiler.getTask(Writer.nullWriter(), files, diagnostics, options, null, List.of(new SnippetSource(snippet))).call();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            if (d.getSource() instanceof SnippetSource source) {
                errors.add("line " + source.snippet.documentLine(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT));
            } else {
                errors.add(d.getMessage(Locale.ROOT));
            }
        }
        return errors;
    }

    private static final class SnippetSource extends SimpleJavaFileObject {
        private final Snippet snippet;

        SnippetSource(Snippet snippet) {
            super(URI.create("string:///readme/" + snippet.className() + ".java"), Kind.SOURCE);
            this.snippet = snippet;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return snippet.source();
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder stays behind
        }
    }
}
