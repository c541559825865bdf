package io.cutover.state;

import io.cutover.CutoverException;
import io.cutover.spi.StateStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps each rollout's state in {@code <directory>/<rollout>.json}. A save writes a temporary file
 * and moves it over the old one atomically, under a file lock, so a crash leaves either the old or
 * the new state and two processes cannot both win a compare-and-set. The version is a counter
 * stored in the file's first line. With a {@link StateIntegrity} key, every file is sealed and a file
 * altered by anyone without the key is refused on load.
 */
public final class FileStateStore implements StateStore {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    /** The largest file read: the longest state in UTF-8 and its version line. */
    private static final long MAX_FILE_BYTES = 3L * StateValidator.MAX_JSON_CHARS + 32;

    private final Path directory;
    private final StateIntegrity integrity;

    /**
     * A store trusting what it reads: see {@link #FileStateStore(Path, StateIntegrity)}.
     *
     * @param directory where the state files live; created by the first save if missing
     */
    public FileStateStore(Path directory) {
        this(directory, StateIntegrity.none());
    }

    /**
     * A store sealing every state with {@code integrity} and refusing one whose seal does not match.
     *
     * @param directory where the state files live; created by the first save if missing
     * @param integrity the key that seals and checks each state
     */
    public FileStateStore(Path directory, StateIntegrity integrity) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.integrity = Objects.requireNonNull(integrity, "integrity");
    }

    @Override
    public boolean integrityProtected() {
        return integrity.sealed();
    }

    @Override
    public FileStateStore withIntegrity(StateIntegrity integrity) {
        return new FileStateStore(directory, integrity);
    }

    @Override
    public Optional<Stored> load(String rollout) {
        Path file = file(rollout);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String content = read(file);
        String version = version(file, content);
        return Optional.of(new Stored(StateCodec.fromJson(content.substring(content.indexOf('\n') + 1), file.toString(), integrity), version));
    }

    @Override
    public String save(String rollout, RolloutState state, String expectedVersion) {
        Path file = file(rollout);
        String json = StateCodec.toJson(state, integrity);
        try {
            Files.createDirectories(directory);
            try (FileChannel lockChannel = FileChannel.open(directory.resolve(rollout + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                String actual = Files.exists(file) ? version(file, read(file)) : null;
                if (!Objects.equals(actual, expectedVersion)) {
                    throw new StateConflictException(rollout, expectedVersion, actual);
                }
                String next = Long.toString(actual == null ? 1 : Long.parseLong(actual) + 1);
                Path tmp = Files.createTempFile(directory, rollout, ".tmp");
                try {
                    Files.writeString(tmp, next + "\n" + json, StandardCharsets.UTF_8, StandardOpenOption.SYNC);
                    move(tmp, file);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return next;
            }
        } catch (IOException e) {
            throw CutoverException.transientFailure("save state " + rollout, "could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The version on the file's first line; a file without one is corrupt. */
    private static String version(Path file, String content) {
        int newline = content.indexOf('\n');
        String version = newline < 0 ? "" : content.substring(0, newline).trim();
        if (!version.matches("\\d+")) {
            throw new CutoverException(CutoverException.Kind.STATE, "read state",
                    "rollout state in " + file + " is corrupt: no version line");
        }
        return version;
    }

    private static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw StateIntegrity.altered(file.toString(), "it is " + size + " bytes long, over the limit of " + MAX_FILE_BYTES);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CutoverException.transientFailure("read state", "could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private Path file(String rollout) {
        if (rollout == null || !SAFE_NAME.matcher(rollout).matches()) {
            throw new IllegalArgumentException("rollout name is not usable as a file name: '" + rollout + "'");
        }
        return directory.resolve(rollout + ".json");
    }
}
