package io.cutover.prometheus.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the {@code prometheus} and {@code promtool} binaries the real-server tests need, provisioning
 * them when the machine has none, so that Java and Maven are all a build needs.
 *
 * <p>In order: {@code PROMETHEUS_BIN} / {@code PROMTOOL_BIN}; the two binaries on the PATH; a copy
 * already unpacked in the cache ({@code $CUTOVER_CACHE_DIR}, else {@code $XDG_CACHE_HOME/cutover},
 * else {@code ~/.cache/cutover}) as {@code prometheus-<version>/usr/bin}; otherwise Debian's
 * {@code prometheus} package is fetched with {@code apt-get download} (after {@code apt-get update}
 * when the package lists are empty and we run as root) and unpacked with {@code dpkg-deb -x} into
 * that cache, without installing anything on the system. Where none of this works, {@link #find()}
 * throws one exception whose message names the fix.
 */
public record PrometheusBinaries(Path prometheus, Path promtool) {

    private static final String FIX = "Fix: install Debian's package (apt-get install -y prometheus), or set PROMETHEUS_BIN"
            + " and PROMTOOL_BIN to the two binaries of a Prometheus 2.x release.";

    /** The binaries to run, provisioned into the cache when needed. */
    public static synchronized PrometheusBinaries find() {
        Optional<PrometheusBinaries> given = fromEnvironment();
        if (given.isPresent()) {
            return given.get();
        }
        Optional<PrometheusBinaries> onPath = onPath();
        if (onPath.isPresent()) {
            return onPath.get();
        }
        Path cache = cacheDir();
        Optional<PrometheusBinaries> cached = inCache(cache);
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            return provision(cache);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("No Prometheus server for the tests: 'prometheus' and 'promtool' are not on"
                    + " the PATH, PROMETHEUS_BIN and PROMTOOL_BIN are unset, and Debian's prometheus package could not be"
                    + " fetched into " + cache + " (" + e.getMessage() + "). " + FIX, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching Debian's prometheus package. " + FIX, e);
        }
    }

    private static Optional<PrometheusBinaries> fromEnvironment() {
        String server = System.getenv("PROMETHEUS_BIN");
        String tool = System.getenv("PROMTOOL_BIN");
        if (isBlank(server) && isBlank(tool)) {
            return Optional.empty();
        }
        if (isBlank(server) || isBlank(tool)) {
            throw new IllegalStateException("set both PROMETHEUS_BIN and PROMTOOL_BIN, or neither (PROMETHEUS_BIN="
                    + server + ", PROMTOOL_BIN=" + tool + "). " + FIX);
        }
        return Optional.of(new PrometheusBinaries(executable(server, "PROMETHEUS_BIN"), executable(tool, "PROMTOOL_BIN")));
    }

    private static Path executable(String given, String env) {
        Path p = Path.of(given);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(env + " names " + p + ", which is not an executable file. " + FIX);
        }
        return p;
    }

    private static Optional<PrometheusBinaries> onPath() {
        Optional<Path> server = which("prometheus");
        Optional<Path> tool = which("promtool");
        return server.isPresent() && tool.isPresent()
                ? Optional.of(new PrometheusBinaries(server.get(), tool.get())) : Optional.empty();
    }

    private static Optional<Path> which(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s, name)).filter(Files::isExecutable).findFirst();
    }

    static Path cacheDir() {
        String explicit = System.getenv("CUTOVER_CACHE_DIR");
        if (!isBlank(explicit)) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (!isBlank(xdg)) {
            return Path.of(xdg, "cutover");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "cutover");
    }

    private static Optional<PrometheusBinaries> inCache(Path cache) {
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("prometheus-"))
                    .sorted(Comparator.reverseOrder())
                    .map(PrometheusBinaries::unpacked)
                    .flatMap(Optional::stream)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<PrometheusBinaries> unpacked(Path root) {
        Path server = root.resolve("usr/bin/prometheus");
        Path tool = root.resolve("usr/bin/promtool");
        return Files.isExecutable(server) && Files.isExecutable(tool)
                ? Optional.of(new PrometheusBinaries(server, tool)) : Optional.empty();
    }

    private static PrometheusBinaries provision(Path cache) throws IOException, InterruptedException {
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, "download-");
        try {
            Result download = run(work, "apt-get", "download", "prometheus");
            if (download.exit() != 0 && isRoot()) {
                Result update = run(work, "apt-get", "update", "-q");
                if (update.exit() != 0) {
                    throw new IOException("apt-get update failed: " + update.lastLine());
                }
                download = run(work, "apt-get", "download", "prometheus");
            }
            if (download.exit() != 0) {
                throw new IOException("apt-get download prometheus failed: " + download.lastLine()
                        + (isRoot() ? "" : " (not root, so the package lists were not updated)"));
            }
            Path deb;
            try (Stream<Path> files = Files.list(work)) {
                deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb file"));
            }
            Result version = run(work, "dpkg-deb", "-f", deb.toString(), "Version");
            if (version.exit() != 0 || version.lastLine().isBlank()) {
                throw new IOException("dpkg-deb -f " + deb.getFileName() + " Version failed: " + version.lastLine());
            }
            Path staged = work.resolve("root");
            Result unpack = run(work, "dpkg-deb", "-x", deb.toString(), staged.toString());
            if (unpack.exit() != 0) {
                throw new IOException("dpkg-deb -x " + deb.getFileName() + " failed: " + unpack.lastLine());
            }
            if (unpacked(staged).isEmpty()) {
                throw new IOException(deb.getFileName() + " holds no usr/bin/prometheus and usr/bin/promtool");
            }
            Path target = cache.resolve("prometheus-" + version.lastLine().strip().replaceAll("[^A-Za-z0-9.+~-]", "_"));
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                // another build unpacked the same version at the same time: use theirs
            } catch (IOException notEmpty) {
                if (unpacked(target).isEmpty()) {
                    throw notEmpty;
                }
            }
            return unpacked(target).orElseThrow(() -> new IOException("unpacked into " + target + " but found no binaries"));
        } finally {
            delete(work);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private record Result(int exit, String lastLine) {
    }

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "cmd-", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException notFound) {
            throw new IOException("cannot run " + command[0] + ": " + notFound.getMessage(), notFound);
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 300 s");
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.removeIf(String::isBlank);
        return new Result(p.exitValue(), lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder stays behind in the cache
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
