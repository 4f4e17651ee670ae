package org.ckansite.solr;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real Solr 9 on loopback for development and CI: one node with a core, or a SolrCloud of
 * several nodes with an embedded ZooKeeper and a collection. Both are made from the same
 * configuration directory (ckansite's searchapi/solr/conf). See solr.sh beside the pom.
 *
 * <pre>
 * standalone [--port P] [--core NAME] [--conf DIR] [--dir DIR] [--state-dir DIR]
 * cloud [--nodes N] [--shards S] [--replicas R] [--collection NAME] [--conf DIR] [--dir DIR] [--state-dir DIR]
 * </pre>
 *
 * <p>Once Solr answers, it prints SOLR_URL=... (and the other lines of the state file) and, with
 * --state-dir, writes them to DIR/ready. It then runs until killed (a shutdown hook stops Solr) or
 * told "quit". Commands, one a line on standard input or as GET requests to SOLR_CONTROL_URL
 * (e.g. curl "$SOLR_CONTROL_URL/stop?node=2"): {@code stop N}, {@code start N} (cloud: node N,
 * counted from 1, restarted on its old port), {@code status}, {@code quit}.
 */
public final class SolrLauncher {

  private final Map<String, String> opts;
  private final Path conf;
  private final Path dir;
  private final Path stateDir;
  private final CountDownLatch quit = new CountDownLatch(1);

  private JettySolrRunner single;
  private MiniSolrCloudCluster cluster;
  private final List<JettySolrRunner> nodes = new ArrayList<>();
  private HttpServer control;
  private String collection;
  private int shards;
  private int replicas;

  private SolrLauncher(Map<String, String> opts) throws IOException {
    this.opts = opts;
    this.conf = Path.of(opts.getOrDefault("conf", "searchapi/solr/conf")).toAbsolutePath();
    if (!Files.isRegularFile(conf.resolve("schema.xml"))
        || !Files.isRegularFile(conf.resolve("solrconfig.xml"))) {
      throw new IllegalArgumentException(conf + " holds no schema.xml and solrconfig.xml");
    }
    this.dir =
        opts.containsKey("dir")
            ? Path.of(opts.get("dir")).toAbsolutePath()
            : Files.createTempDirectory("ckansite-solr-");
    this.stateDir = opts.containsKey("state-dir") ? Path.of(opts.get("state-dir")) : null;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("standalone") || args[0].equals("cloud"))) {
      System.err.println("usage: SolrLauncher standalone|cloud [--option value]...");
      System.exit(2);
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("bad argument: " + args[i]);
        System.exit(2);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    quietDefaults();
    SolrLauncher launcher = new SolrLauncher(opts);
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown, "solr-launcher-shutdown"));
    long t0 = System.nanoTime();
    Map<String, String> state;
    try {
      state = args[0].equals("cloud") ? launcher.startCloud() : launcher.startStandalone();
    } catch (Throwable e) {
      e.printStackTrace();
      System.err.println("Solr did not start");
      System.exit(1);
      return;
    }
    state.put("SOLR_CONTROL_URL", launcher.startControl());
    state.put("SOLR_DIR", launcher.dir.toString());
    state.put("SOLR_PID", Long.toString(ProcessHandle.current().pid()));
    StringBuilder text = new StringBuilder();
    state.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    System.out.print(text);
    System.out.printf("ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    System.out.flush();
    if (launcher.stateDir != null) {
      Files.createDirectories(launcher.stateDir);
      Path tmp = launcher.stateDir.resolve("ready.tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, launcher.stateDir.resolve("ready"), StandardCopyOption.ATOMIC_MOVE);
    }
    launcher.readStdin();
    launcher.quit.await();
    System.exit(0); // runs the shutdown hook
  }

  /** Solr settings for a small, local, loopback-only instance, unless set on the command line. */
  private static void quietDefaults() {
    String[][] defaults = {
      {"host", "127.0.0.1"},
      {"solr.log.dir", System.getProperty("java.io.tmpdir")},
      {"solr.install.dir", System.getProperty("java.io.tmpdir")},
      {"solr.autoCommit.maxTime", "15000"},
      {"metricsEnabled", "false"},
      {"solr.disableDefaultJmxReporter", "true"},
      {"solr.jetty.inetaccess.includes", "127.0.0.1"},
      {"zookeeper.admin.enableServer", "false"},
      {"solr.cloud.client.stallTime", "5000"},
      {"solr.OTEL.enabled", "false"},
    };
    for (String[] d : defaults) {
      if (System.getProperty(d[0]) == null) System.setProperty(d[0], d[1]);
    }
  }

  private int intOpt(String name, int dflt) {
    return Integer.parseInt(opts.getOrDefault(name, Integer.toString(dflt)));
  }

  private Map<String, String> startStandalone() throws Exception {
    String core = opts.getOrDefault("core", "ckan");
    Path home = dir.resolve("home");
    Path coreConf = home.resolve(core).resolve("conf");
    Files.createDirectories(coreConf);
    try (Stream<Path> files = Files.list(conf)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) Files.copy(f, coreConf.resolve(f.getFileName()));
      }
    }
    Files.writeString(home.resolve(core).resolve("core.properties"), "name=" + core + "\n");
    Files.writeString(
        home.resolve("solr.xml"),
        "<solr>\n  <metrics enabled=\"${metricsEnabled:false}\"/>\n</solr>\n");
    JettyConfig config =
        JettyConfig.builder()
            .setPort(intOpt("port", 8983))
            .setContext("/solr")
            .stopAtShutdown(false)
            .waitForLoadingCoresToFinish(60_000L)
            .build();
    single = new JettySolrRunner(home.toString(), config);
    single.start();
    try (org.apache.solr.core.SolrCore loaded = single.getCoreContainer().getCore(core)) {
      if (loaded == null) {
        throw new IllegalStateException(
            "core " + core + " did not load: " + single.getCoreContainer().getCoreInitFailures());
      }
    }
    Map<String, String> state = new java.util.LinkedHashMap<>();
    state.put("SOLR_URL", single.getBaseUrl() + "/" + core);
    state.put("SOLR_NODE_URLS", single.getBaseUrl().toString());
    return state;
  }

  private Map<String, String> startCloud() throws Exception {
    collection = opts.getOrDefault("collection", "ckan");
    int n = intOpt("nodes", 2);
    shards = intOpt("shards", 2);
    replicas = intOpt("replicas", 2);
    JettyConfig config =
        JettyConfig.builder().setPort(0).setContext("/solr").stopAtShutdown(false).build();
    cluster =
        new MiniSolrCloudCluster(
            n, dir.resolve("cloud"), MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML, config);
    nodes.addAll(cluster.getJettySolrRunners());
    cluster.uploadConfigSet(conf, "ckansite");
    CollectionAdminRequest.createCollection(collection, "ckansite", shards, replicas)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(collection, 120, TimeUnit.SECONDS, shards, shards * replicas);
    Map<String, String> state = new java.util.LinkedHashMap<>();
    state.put("SOLR_URL", nodes.get(0).getBaseUrl() + "/" + collection);
    StringBuilder urls = new StringBuilder();
    for (JettySolrRunner node : nodes) {
      if (urls.length() > 0) urls.append(' ');
      urls.append(node.getBaseUrl());
    }
    state.put("SOLR_NODE_URLS", urls.toString());
    state.put("SOLR_ZK_HOST", cluster.getZkServer().getZkAddress());
    return state;
  }

  /** Runs one command; returns its answer (one line). */
  private synchronized String command(String line) {
    String[] words = line.trim().split("\\s+");
    try {
      switch (words[0]) {
        case "status":
          return status();
        case "quit":
          quit.countDown();
          return "quitting";
        case "stop":
        case "start":
          if (cluster == null) return "error: stop/start N is for cloud mode";
          int i = Integer.parseInt(words[1]);
          if (i < 1 || i > nodes.size()) return "error: nodes are 1.." + nodes.size();
          JettySolrRunner node = nodes.get(i - 1);
          if (words[0].equals("stop")) {
            if (node.isStopped()) return "node " + i + " is already stopped";
            cluster.stopJettySolrRunner(node);
            cluster.waitForJettyToStop(node);
            return "stopped node " + i + " " + node.getBaseUrl();
          }
          if (node.isRunning()) return "node " + i + " is already running";
          cluster.startJettySolrRunner(node, true);
          cluster.waitForNode(node, 60);
          // back only once its replicas have recovered
          cluster.waitForActiveCollection(
              collection, 120, TimeUnit.SECONDS, shards, shards * replicas);
          return "started node " + i + " " + node.getBaseUrl();
        default:
          return "error: commands are stop N, start N, status, quit";
      }
    } catch (Exception e) {
      return "error: " + e;
    }
  }

  private String status() {
    if (single != null) return "node 1 " + (single.isRunning() ? "up " : "down ") + single.getBaseUrl();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      JettySolrRunner node = nodes.get(i);
      s.append(i > 0 ? "; " : "")
          .append("node ")
          .append(i + 1)
          .append(node.isRunning() ? " up " : " down ")
          .append(node.getBaseUrl());
    }
    return s.toString();
  }

  /** GET /stop?node=N, /start?node=N, /status, /quit on a loopback port. */
  private String startControl() throws IOException {
    int port = intOpt("control-port", 0);
    control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    control.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath().replaceAll("^/+", "");
          String query = exchange.getRequestURI().getQuery();
          String arg = query != null && query.startsWith("node=") ? query.substring(5) : "";
          String answer = command((path + " " + arg).trim());
          byte[] body = (answer + "\n").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.startsWith("error") ? 400 : 200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    control.start();
    return "http://127.0.0.1:" + control.getAddress().getPort();
  }

  /** Commands typed on standard input; end of input just stops listening. */
  private void readStdin() {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (!line.isBlank()) System.out.println(command(line));
                }
              } catch (IOException e) {
                // no console: commands come through the control port only
              }
            },
            "solr-launcher-stdin");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void shutdown() {
    try {
      if (control != null) control.stop(0);
      if (cluster != null) cluster.shutdown();
      if (single != null && single.isRunning()) single.stop();
      System.out.println("Solr stopped");
    } catch (Throwable e) {
      e.printStackTrace();
    }
    if (!opts.containsKey("keep") && !opts.containsKey("dir")) deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
