package dev.rerank4j.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on lock files, held against other processes and other threads of this JVM alike.
 *
 * <p>OS file locks belong to the whole JVM: a second thread's {@code tryLock} on the same file fails with an
 * exception instead of waiting, and on POSIX closing any channel to the file drops every lock the process holds on
 * it. So threads first take a JVM-wide lock striped by path, and only the winner opens the file at all. The stripes
 * are static because the thing they guard, the process's file locks, is process-wide.
 */
final class FileLocks {
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private FileLocks() {
    }

    /** Blocks until this thread holds {@code lockFile} exclusively; creates the file and its folders if needed. */
    static Held acquire(Path lockFile) throws IOException {
        Path path = lockFile.toAbsolutePath().normalize();
        ReentrantLock stripe = STRIPES[Math.floorMod(path.hashCode(), STRIPES.length)];
        stripe.lock();
        try {
            Files.createDirectories(path.getParent());
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new Held(stripe, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            stripe.unlock();
            throw e;
        }
    }

    /** A held lock; closing releases it. */
    record Held(ReentrantLock stripe, FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                stripe.unlock();
            }
        }
    }
}
