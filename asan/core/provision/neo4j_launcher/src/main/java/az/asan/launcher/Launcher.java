package az.asan.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.dbms.api.DatabaseNotFoundException;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded, with only the Bolt connector open on a loopback address.
 *
 * The machines this project runs on have no Docker engine, so the project starts Neo4j itself.
 * Authentication stays on: the password of the built-in "neo4j" user is (re)set from the
 * NEO4J_PASSWORD environment variable on every start, so the settings are the single source of
 * the credential and a changed password never locks the project out of its own data.
 *
 * Usage: Launcher HOME_DIR HOST PORT   (password in NEO4J_PASSWORD; pid file and "READY" line
 * on stdout once Bolt accepts connections).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launcher HOME_DIR HOST PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set and at least 8 characters long");
            System.exit(2);
        }
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .build();

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stop.countDown();
        }, "neo4j-shutdown"));

        try {
            setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            awaitDefaultDatabase(dbms, 120_000);
        } catch (Exception e) {
            // Any start-up failure must end the JVM, or the caller would wait for READY forever.
            System.err.println("FAILED " + e);
            e.printStackTrace();
            System.exit(1);
        }

        System.out.println("READY bolt://" + host + ":" + port);
        System.out.flush();
        stop.await();
    }

    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to its current value: that is success here.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    /** The default database is created asynchronously on a first start: wait until it serves. */
    private static void awaitDefaultDatabase(DatabaseManagementService dbms, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String name = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
        while (true) {
            try {
                GraphDatabaseService db = dbms.database(name);
                if (db.isAvailable(1_000)) {
                    db.executeTransactionally("RETURN 1");
                    return;
                }
            } catch (DatabaseNotFoundException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
                continue;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("database " + name + " did not become available");
            }
        }
    }
}
