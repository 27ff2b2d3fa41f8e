package io.freehold.node.chain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough HTTP/1.1 for {@link FaultInjectingProxy}: read a request with a Content-Length body
 * (OkHttp sends web3j's string bodies that way), write a response with one. Connections stay open
 * between requests, as OkHttp expects.
 */
final class HttpWire {

    private HttpWire() {}

    /** The body of the next request on the connection, or null when the client has closed it. */
    static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of "\r\n\r\n" has just been read
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return null;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon)
                            .trim()
                            .toLowerCase(Locale.ROOT)
                            .equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return body.length < length ? null : new String(body, StandardCharsets.UTF_8);
    }

    static void write(OutputStream out, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head =
                "HTTP/1.1 "
                        + status
                        + " "
                        + (status == 200 ? "OK" : "Error")
                        + "\r\nContent-Type: "
                        + type
                        + "\r\nContent-Length: "
                        + bytes.length
                        + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }
}
