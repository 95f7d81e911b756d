import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

/**
 * Starts an in-memory MongoDB wire-protocol server on a free loopback port
 * for LinkLab's tests, prints "LISTENING <port>" and runs until its standard
 * input closes, so it never outlives the test process that started it.
 */
public class MongoTestServer {
    public static void main(String[] args) throws Exception {
        MongoServer server = new MongoServer(new MemoryBackend().version(new Mongo44()));
        server.enableOplog(); // change streams need it
        server.bind("127.0.0.1", 0);
        System.out.println("LISTENING " + server.getLocalAddress().getPort());
        System.out.flush();
        while (System.in.read() != -1) {
            // Drain until the parent closes the pipe.
        }
        server.shutdownNow();
    }

    /**
     * The server's own newest version constant reports wire version 8
     * (MongoDB 4.2); the Go driver v2 refuses servers below wire version 9
     * (MongoDB 4.4) at the handshake. We report 4.4 and keep the engine to
     * operations the server implements (docs/storage.md).
     */
    static final class Mongo44 implements MongoVersion {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    }
}
