package dev.parley.standalone;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.FileCacheFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Takes Grizzly's {@link FileCacheFilter} out of the standalone server's filter chain, as a Grizzly
 * {@link AddOn}. The file cache answers only from entries Grizzly's own static-file handlers put in
 * it, and the standalone server serves its files through servlets, so the filter never answered
 * anything here; but every filter in the chain costs each connection, idle WebSockets included, a
 * slot in each of the 7 per-operation arrays Grizzly keeps per connection for the chain's state
 * ({@code DefaultFilterChain$FiltersState}, allocated for the whole chain at the first event). With
 * 9 filters those arrays are 56 bytes each, with 8 they are 48: 56 bytes per connection.
 * Fails at start-up if the filter is not there (a Grizzly that no longer adds it).
 */
final class NoFileCache implements AddOn {

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int cache = builder.indexOfType(FileCacheFilter.class);
        if (cache < 0) {
            throw new IllegalStateException("Grizzly's file cache filter is not in the chain: " + builder);
        }
        builder.remove(cache);
        listener.getFileCache().setEnabled(false);
    }
}
