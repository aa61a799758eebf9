package io.eksaccess.console.notification;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver on a raw socket that answers badly: it trickles its answer one byte at a
 * time, or floods an answer far larger than anyone should read. It counts what it wrote and
 * whether a sender is still connected.
 */
final class MisbehavingReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();

    private interface Answer {
        void write(OutputStream out, AtomicLong written) throws IOException, InterruptedException;
    }

    private MisbehavingReceiver(Answer answer) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.add(socket);
                    accepted.incrementAndGet();
                    Thread handler = new Thread(() -> serve(socket, answer), "misbehaving-receiver-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "misbehaving-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** 200 with a 100 KB body announced, then one byte every {@code tickMillis} until the sender leaves. */
    static MisbehavingReceiver trickling(long tickMillis) {
        return new MisbehavingReceiver((out, written) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 100_000; i++) {
                Thread.sleep(tickMillis);
                out.write('.');
                out.flush();
                written.incrementAndGet();
            }
        });
    }

    /** The status with a 1.5 GB body, starting with {@code start}, written as fast as the sender reads. */
    static MisbehavingReceiver flooding(int status, String start) {
        long size = 1_500_000_000L;
        return new MisbehavingReceiver((out, written) -> {
            out.write(("HTTP/1.1 " + status + " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] first = start.getBytes(StandardCharsets.UTF_8);
            out.write(first);
            written.addAndGet(first.length);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            for (long left = size - first.length; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
                written.addAndGet(Math.min(chunk.length, left));
            }
            out.flush();
        });
    }

    private void serve(Socket socket, Answer answer) {
        open.incrementAndGet();
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            readHeaders(in);
            answer.write(out, written);
        } catch (IOException | InterruptedException sendersGone) {
            // the sender closed the connection: what this receiver is here to see
        } finally {
            open.decrementAndGet();
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request ended");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int accepted() {
        return accepted.get();
    }

    /** Connections a sender still holds. */
    int open() {
        return open.get();
    }

    /** Body bytes written into connections (the kernel's buffers included). */
    long written() {
        return written.get();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : connections) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
