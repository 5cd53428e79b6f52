// Runs a real Solr 9 server (the Jetty-based JettySolrRunner that Solr's own
// test framework uses) on 127.0.0.1 from the jars Maven Central provides.
// Java 17 runs this file from source:
//   java -cp 'jars/*' SolrLauncher.java <solr home> <port>
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class SolrLauncher {
    public static void main(String[] args) throws Exception {
        String solrHome = args[0];
        int port = Integer.parseInt(args[1]);
        JettyConfig config = JettyConfig.builder()
                .setContext("/solr")
                .setPort(port)
                .stopAtShutdown(true)
                .useOnlyHttp1(true)
                .build();
        JettySolrRunner solr = new JettySolrRunner(solrHome, config);
        solr.start();
        System.out.println("Solr ready at http://127.0.0.1:" + solr.getLocalPort() + "/solr");
        Thread.currentThread().join();
    }
}
